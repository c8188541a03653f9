// followup contacts / show / edit / archive / rm: the people.

#include "commands.hpp"
#include "table.hpp"

#include <fmt/format.h>
#include <followup/domain/cadence.hpp>
#include <followup/domain/channels.hpp>
#include <followup/domain/identity.hpp>
#include <followup/domain/referrals.hpp>
#include <followup/domain/scheduler.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <iostream>
#include <map>

namespace followup::cli {
namespace {

// ------------------------------------------------------------------------------ contacts

struct ListOptions {
    std::string text;
    std::string tag;
    std::string event;
    bool archived{};
    std::string stale;
    std::string no_reply;
    Format format{Format::table};
};

void run_contacts(const ListOptions& o, Context& ctx) {
    const TimeContext& tc = ctx.time();
    Repository& repo = ctx.reader();
    Repository::Transaction tx(repo, false);
    ContactQuery q;
    q.text = o.text;
    q.tag = o.tag;
    q.archived = o.archived;
    if (!o.stale.empty()) {
        Duration d = parse_duration(o.stale);
        d.count = -d.count;
        q.stale_before = add(tc.now, d, tc.zone);
    }
    if (!o.no_reply.empty()) {
        Duration d = parse_duration(o.no_reply);
        d.count = -d.count;
        q.no_reply_before = add(tc.now, d, tc.zone);
    }
    if (!o.event.empty()) {
        auto e = repo.find_event(o.event);
        if (!e) throw NotFound(fmt::format("no event named '{}'", o.event));
        q.event_id = e->id;
    }
    auto rows = repo.list_contacts(q);
    tx.commit();

    if (o.format != Format::table) {
        std::vector<Record> records;
        records.reserve(rows.size());
        for (const auto& r : rows)
            records.push_back(to_record(r.contact));
        ctx.print(render(records, o.format, contact_fields()));
        return;
    }
    if (rows.empty()) {
        ctx.print(o.archived ? "No archived contacts.\n" : "No contacts.\n");
        return;
    }
    Table table({"ID", "NAME", "COMPANY", "CHANNEL", "TAGS", "EVENT", "LAST TOUCH", "NEXT"},
                {true});
    table.limit(1, 28);
    table.limit(2, 24);
    table.limit(4, 24);
    table.limit(5, 24);
    for (const auto& r : rows) {
        const Contact& c = r.contact;
        std::string next;
        std::optional<fmt::text_style> next_style;
        if (r.next_due) {
            next = relative_text(*r.next_due, tc.now);
            if (*r.next_due < tc.now) next_style = fg(fmt::terminal_color::red);
        }
        table.add({{std::to_string(c.id)},
                   {c.name},
                   {c.company},
                   {channel_label(effective_via(c).channel)},
                   {text::join(c.tags, ",")},
                   {c.event},
                   {c.last_touch
                        ? format_local_day(*c.last_touch, tc.zone) +
                              (o.stale.empty() ? "" : " (" + ago_text(*c.last_touch, tc.now) + ")")
                        : ""},
                   {next, next_style}});
    }
    ctx.print(table.render(ctx.color()));
}

// ---------------------------------------------------------------------------------- show

struct ShowOptions {
    std::string contact;
    Format format{Format::table};
};

void run_show(const ShowOptions& o, Context& ctx) {
    const TimeContext& tc = ctx.time();
    Repository& repo = ctx.reader();
    Repository::Transaction tx(repo, false);
    Contact c = actions::resolve_contact(repo, o.contact);
    auto followups = repo.followups_of(c.id);
    auto interactions = repo.interactions_of(c.id);
    auto referrals = repo.referrals_of(c.id);
    auto [last_out, last_in] = repo.last_touch_each_way(c.id);
    std::map<Id, std::size_t> chases;
    for (const auto& f : followups)
        if (f.status == Status::open)
            if (auto n = repo.chases_of(f.id).size()) chases[f.id] = n;
    tx.commit();
    auto iso = [](const std::optional<Instant>& t) -> Record {
        if (!t) return nullptr;
        return format_utc(*t);
    };

    if (o.format == Format::json || o.format == Format::jsonl) {
        Record card = to_record(c);
        card["last_out"] = iso(last_out);
        card["last_in"] = iso(last_in);
        card["followups"] = Record::array();
        for (const auto& f : followups)
            card["followups"].push_back(to_record(f));
        card["interactions"] = Record::array();
        for (const auto& i : interactions)
            card["interactions"].push_back(to_record(i));
        card["referrals"] = Record::array();
        for (const auto& r : referrals)
            card["referrals"].push_back(to_record(r));
        const Ledger ledger = tally(referrals);
        card["closed"] = ledger.closed;
        card["given"] = ledger.given;
        ctx.print(card.dump(o.format == Format::json ? 2 : -1, ' ', false,
                            nlohmann::json::error_handler_t::replace) +
                  "\n");
        return;
    }
    if (o.format != Format::table) throw UsageError("show prints table, json or jsonl");

    auto bold = [&](std::string_view s) { return ctx.styled(s, fmt::emphasis::bold); };
    std::string out = bold(fmt::format("#{} {}", c.id, text::one_line(c.name)));
    if (c.archived) out += "  [archived]";
    out += '\n';
    Via via = effective_via(c);
    std::string link = channel_link(via);
    std::vector<std::pair<std::string, std::string>> fields{
        {"Company", c.company},
        {"Title", c.title},
        {"Channel",
         via.channel.empty()
             ? ""
             : channel_label(via.channel) +
                   (link.empty() ? (via.handle.empty() ? "" : "  " + via.handle) : "  " + link)},
        {"Tags", text::join(c.tags, ", ")},
        {"Event", c.event},
        {"Met", c.met ? when_text(*c.met, tc.zone) : ""},
        {"Referred by", c.referred_by},
        {"Birthday", c.birthday},
        {"Last out", last_out ? fmt::format("{} ({})", when_text(*last_out, tc.zone),
                                            ago_text(*last_out, tc.now))
                              : ""},
        {"Last in",
         last_in ? fmt::format("{} ({})", when_text(*last_in, tc.zone), ago_text(*last_in, tc.now))
                 : (last_out ? "never" : "")},
        {"Notes", c.notes},
    };
    // Every way to reach them, the one used first in each list, after the channel.
    auto labeled = [](const Labeled& l) {
        return l.label.empty() ? l.value : fmt::format("{} ({})", l.value, l.label);
    };
    std::vector<std::pair<std::string, std::string>> reach;
    for (const auto& e : c.emails)
        reach.emplace_back("Email", labeled(e));
    for (const auto& p : c.phones)
        reach.emplace_back("Phone", labeled(p));
    for (std::size_t i = 0; i < c.addresses.size(); ++i)
        reach.emplace_back(c.addresses.size() > 1 ? fmt::format("Address {}", i + 1) : "Address",
                           labeled(c.addresses[i]));
    for (const auto& p : c.profiles) {
        std::string url = channel_link({p.network, p.handle});
        reach.emplace_back(channel_label(p.network),
                           url.empty() || url == p.handle ? p.handle : p.handle + "  " + url);
    }
    fields.insert(fields.begin() + 3, reach.begin(), reach.end());
    for (const auto& [label, value] : fields)
        if (!value.empty()) out += fmt::format("  {:<12}{}\n", label, text::one_line(value));

    out += '\n' + bold("Open follow-ups") + '\n';
    bool any_open = false;
    for (const auto& f : followups) {
        if (f.status != Status::open) continue;
        any_open = true;
        std::string rel = text::pad(relative_text(f.due, tc.now), 12) + " ";
        if (f.due < tc.now) rel = ctx.styled(rel, fg(fmt::terminal_color::red));
        std::string chased =
            chases.contains(f.id)
                ? fmt::format(" (chased {}, first due {})",
                              chases[f.id] == 1 ? "once" : fmt::format("{} times", chases[f.id]),
                              when_text(f.original_due, tc.zone))
                : "";
        out += fmt::format("  {:>4}  {}  {}{:<8} {}{}\n", f.id, when_text(f.due, tc.zone), rel,
                           to_string(f.kind), text::one_line(f.title), chased);
    }
    if (!any_open) out += "  none\n";

    if (!referrals.empty()) {
        out += '\n' + bold("Referrals") + '\n';
        for (const auto& r : referrals)
            out += fmt::format("  {:>4}  {:<8} {} → {}  {}\n", r.id, r.direction,
                               r.direction == "received" ? r.referrer : std::string("you"),
                               r.direction == "received" ? std::string("you") : r.member,
                               r.prospect + " (" + r.status + ")");
        const Ledger ledger = tally(referrals);
        if (ledger.closed > 0 || ledger.given > 0)
            out += fmt::format("  closed {:.2f}, given {:.2f}\n", ledger.closed, ledger.given);
    }

    out += '\n' + bold("Timeline") + '\n';
    // Newest first, the meeting in its place among the touches.
    std::vector<std::pair<Instant, std::string>> timeline;
    for (const auto& i : interactions) {
        std::string arrow = i.chase ? "chase" : i.direction == Direction::in ? "in   " : "out  ";
        std::string line = fmt::format("  {}  {}  {:<9} {}", when_text(i.at, tc.zone), arrow,
                                       channel_label(i.channel), text::one_line(i.note));
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        timeline.emplace_back(i.at, line + "\n");
    }
    if (c.met)
        timeline.emplace_back(*c.met, fmt::format("  {}  met{}\n", when_text(*c.met, tc.zone),
                                                  c.event.empty() ? "" : " at " + c.event));
    std::stable_sort(timeline.begin(), timeline.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& entry : timeline)
        out += entry.second;
    ctx.print(out);
}

// ---------------------------------------------------------------------------------- edit

struct EditOptions {
    std::vector<std::string> contacts;
    std::optional<std::string> name, company, title, via, event, met, note, every, birthday;
    std::vector<std::string> tags;
    std::vector<std::string> untags;
    std::vector<std::string> emails, phones, addresses, profiles;
    std::vector<std::string> remove_emails, remove_phones, remove_addresses, remove_profiles;
};

void run_edit(const EditOptions& o, Context& ctx) {
    const TimeContext& tc = ctx.time();
    actions::ContactEdit e;
    e.name = o.name;
    e.company = o.company;
    e.title = o.title;
    for (const auto& x : o.emails)
        e.emails.push_back(parse_labeled(x));
    for (const auto& x : o.phones)
        e.phones.push_back(parse_labeled(x));
    for (const auto& x : o.addresses)
        e.addresses.push_back(parse_labeled(x));
    const auto& custom = ctx.config().custom_channels;
    for (const auto& x : o.profiles)
        e.profiles.push_back(parse_profile(x, custom));
    e.remove_emails = o.remove_emails;
    e.remove_phones = o.remove_phones;
    e.remove_addresses = o.remove_addresses;
    for (const auto& x : o.remove_profiles)
        e.remove_profiles.push_back(known_channel(x, custom));
    e.notes = o.note;
    e.event = o.event;
    if (o.via) e.via = o.via->empty() ? Via{} : parse_via(*o.via, ctx.config().custom_channels);
    if (o.met) e.met = parse_when(*o.met, tc);
    if (o.every) {
        std::string v = text::lower(text::trim(*o.every));
        e.every = (v.empty() || v == "none" || v == "never") ? std::optional<int>()
                                                             : std::optional<int>(parse_cadence(v));
    }
    if (o.birthday) e.birthday = parse_birthday(*o.birthday);
    e.tags = o.tags;
    e.untags = o.untags;
    if (e.tags_only() && e.tags.empty() && e.untags.empty())
        throw UsageError("edit: nothing to change (see 'followup edit --help')");
    actions::Env env = ctx.env();
    std::vector<Contact> contacts;
    {
        Repository::Transaction tx(env.repo, false);
        contacts = actions::select_contacts(env.repo, {o.contacts, {}, {}, {}});
        tx.commit();
    }
    std::string out;
    for (const auto& c : actions::edit_contacts(env, contacts, e))
        out += fmt::format("Updated #{} {}\n", c.id, c.name);
    ctx.print(out);
}

// ------------------------------------------------------------------------- archive / rm

struct ArchiveOptions {
    std::string contact;
    bool undo{};
};

void run_archive(const ArchiveOptions& o, Context& ctx) {
    actions::Env env = ctx.env();
    Contact c = actions::archive(env, o.contact, o.undo);
    std::string out = fmt::format("{} #{} {}\n", o.undo ? "Restored" : "Archived", c.id, c.name);
    if (!o.undo) {
        // The loop ends here: say what stays open (hidden from due while archived).
        Repository& repo = ctx.reader();
        Repository::Transaction tx(repo, false);
        std::vector<Followup> open;
        for (auto& f : repo.followups_of(c.id))
            if (f.status == Status::open) open.push_back(std::move(f));
        tx.commit();
        if (!open.empty())
            out += fmt::format("Still open, hidden from due while archived ('followup skip ID' "
                               "closes one):\n");
        for (const auto& f : open)
            out += fmt::format("  {:>4}  {:<8} {}\n", f.id, to_string(f.kind),
                               text::one_line(f.title));
    }
    ctx.print(out);
}

struct RmOptions {
    std::string contact;
    bool yes{};
};

void run_rm(const RmOptions& o, Context& ctx) {
    actions::Env env = ctx.env();
    if (!o.yes) {
        Contact c;
        ContactFootprint fp;
        {
            Repository::Transaction tx(env.repo, false);
            c = actions::resolve_contact(env.repo, o.contact);
            fp = env.repo.footprint(c.id);
            tx.commit();
        }
        std::string what = fmt::format("#{} {} with {} and {}", c.id, c.name,
                                       count_text(fp.followups, "follow-up"),
                                       count_text(fp.interactions, "interaction"));
        if (!ctx.interactive())
            throw UsageError(fmt::format("rm deletes {}; add --yes to confirm", what));
        std::cerr << "Delete " << for_terminal(what) << "? [y/N] " << std::flush;
        std::string answer;
        std::getline(std::cin, answer);
        if (text::lower(text::trim(answer)) != "y" && text::lower(text::trim(answer)) != "yes") {
            ctx.print("Nothing deleted.\n");
            return;
        }
    }
    auto [c, fp] = actions::remove_contact(env, o.contact);
    ctx.print(fmt::format("Deleted #{} {} with {} and {}\n", c.id, c.name,
                          count_text(fp.followups, "follow-up"),
                          count_text(fp.interactions, "interaction")));
}

// ------------------------------------------------------------------ duplicates / merge

struct DuplicatesOptions {
    Format format{Format::table};
};

void run_duplicates(const DuplicatesOptions& o, Context& ctx) {
    Repository& repo = ctx.reader();
    std::vector<DuplicatePair> pairs;
    {
        Repository::Transaction tx(repo, false);
        pairs = find_duplicates(repo.all_contacts());
        tx.commit();
    }
    if (o.format != Format::table) {
        std::vector<Record> records;
        for (const auto& p : pairs) {
            Record r;
            r["a_id"] = p.a.id;
            r["a_name"] = p.a.name;
            r["b_id"] = p.b.id;
            r["b_name"] = p.b.name;
            r["reasons"] = p.reasons;
            records.push_back(std::move(r));
        }
        ctx.print(render(records, o.format, {"a_id", "a_name", "b_id", "b_name", "reasons"}));
        return;
    }
    if (pairs.empty()) {
        ctx.print("No likely duplicates.\n");
        return;
    }
    Table table({"A", "NAME", "B", "NAME", "WHY"}, {true, false, true});
    table.limit(1, 28);
    table.limit(3, 28);
    for (const auto& p : pairs)
        table.add({"#" + std::to_string(p.a.id), p.a.name, "#" + std::to_string(p.b.id), p.b.name,
                   text::join(p.reasons, ", ")});
    ctx.print(table.render(ctx.color()) +
              "Merge a pair with 'followup merge A B' (B goes into A); 'followup undo' takes it "
              "back.\n");
}

struct MergeOptions {
    std::string a, b;
};

void run_merge(const MergeOptions& o, Context& ctx) {
    actions::Env env = ctx.env();
    auto m = actions::merge_contacts(env, o.a, o.b);
    std::string out = fmt::format(
        "Merged #{} {} into #{} {}: {}, {} and {} moved", m.removed.id, m.removed.name,
        m.contact.id, m.contact.name, count_text(m.moved.followups, "follow-up"),
        count_text(m.moved.interactions, "interaction"), count_text(m.moved.referrals, "referral"));
    if (!m.skipped.empty()) {
        std::vector<std::string> kinds;
        for (const auto& f : m.skipped)
            kinds.push_back(fmt::format("#{} {}", f.id, to_string(f.kind)));
        out += fmt::format("; skipped {} (#{} has its own)", text::join(kinds, ", "), m.contact.id);
    }
    ctx.print(out + ".\n");
}

} // namespace

void setup_contacts(CLI::App& app, Context& ctx) {
    auto list = std::make_shared<ListOptions>();
    auto* l = app.add_subcommand("contacts", "List contacts");
    l->add_option("TEXT", list->text, "Part of a name, company, title, email or tag");
    l->add_option("--tag", list->tag, "Only contacts with this tag")
        ->type_name("TAG")
        ->allow_extra_args(false);
    l->add_option("--event", list->event, "Only people met at this event")->type_name("EVENT");
    l->add_flag("--archived", list->archived, "List archived contacts instead");
    l->add_option("--no-reply", list->no_reply,
                  "Only contacts you wrote to at least this long ago who have not answered since")
        ->type_name("DURATION");
    l->add_option("--stale", list->stale, "Only contacts not touched for this long, oldest first")
        ->type_name("DURATION");
    add_format_option(*l, list->format);
    l->callback([list, &ctx] { run_contacts(*list, ctx); });

    auto show = std::make_shared<ShowOptions>();
    auto* s = app.add_subcommand("show", "A contact's card, open follow-ups and timeline");
    s->add_option("CONTACT", show->contact, "#ID, ID or part of the name")->required();
    add_format_option(*s, show->format);
    s->callback([show, &ctx] { run_show(*show, ctx); });

    auto edit = std::make_shared<EditOptions>();
    auto* e = app.add_subcommand("edit", "Change a contact's fields (an empty value clears one)");
    e->add_option("CONTACT", edit->contacts,
                  "#ID, ID or part of the name (several only with --tag and --untag)")
        ->required();
    e->add_option("--name", edit->name, "Name");
    e->add_option("--company", edit->company, "Company");
    e->add_option("--title", edit->title, "Job title");
    add_reach_options(e, edit->emails, edit->phones, edit->addresses, edit->profiles);
    e->add_option("--remove-email", edit->remove_emails, "Take an email address away")
        ->type_name("EMAIL")
        ->allow_extra_args(false);
    e->add_option("--remove-phone", edit->remove_phones, "Take a phone number away")
        ->type_name("PHONE")
        ->allow_extra_args(false);
    e->add_option("--remove-address", edit->remove_addresses,
                  "Take a postal address away: its number in 'show' or its text")
        ->type_name("N")
        ->allow_extra_args(false);
    e->add_option("--remove-profile", edit->remove_profiles, "Take the profile on a network away")
        ->type_name("NETWORK")
        ->allow_extra_args(false);
    e->add_option("--via", edit->via, "Preferred channel")->type_name("CHANNEL[:HANDLE]");
    e->add_option("--event", edit->event, "Where you met")->type_name("EVENT");
    e->add_option("--met", edit->met, "When you met")->type_name("WHEN");
    e->add_option("--tag", edit->tags, "Add a tag (repeatable)")
        ->type_name("TAG")
        ->allow_extra_args(false);
    e->add_option("--untag", edit->untags, "Remove a tag (repeatable)")
        ->type_name("TAG")
        ->allow_extra_args(false);
    e->add_option("--note", edit->note, "Replace the notes")->type_name("TEXT");
    e->add_option("--birthday", edit->birthday, "Birthday, MM-DD or YYYY-MM-DD (none clears)")
        ->type_name("DATE");
    e->add_option("--every", edit->every, "Keep-in-touch cadence (30d, 2w, 3m; none to stop)")
        ->type_name("DURATION");
    e->callback([edit, &ctx] { run_edit(*edit, ctx); });

    auto archive = std::make_shared<ArchiveOptions>();
    auto* a = app.add_subcommand("archive", "Hide a contact (keeps the history)");
    a->add_option("CONTACT", archive->contact, "#ID, ID or part of the name")->required();
    a->add_flag("--undo", archive->undo, "Bring an archived contact back");
    a->callback([archive, &ctx] { run_archive(*archive, ctx); });

    auto dup = std::make_shared<DuplicatesOptions>();
    auto* d = app.add_subcommand(
        "duplicates", "List contacts that are likely one person twice (same email, phone, "
                      "profile or name), with the reason");
    add_format_option(*d, dup->format);
    d->callback([dup, &ctx] { run_duplicates(*dup, ctx); });

    auto merge = std::make_shared<MergeOptions>();
    auto* m = app.add_subcommand(
        "merge", "Merge contact B into contact A with everything attached, and delete B");
    m->add_option("A", merge->a, "The contact that stays: #ID, ID or part of the name")->required();
    m->add_option("B", merge->b, "The contact merged into A and deleted")->required();
    m->callback([merge, &ctx] { run_merge(*merge, ctx); });

    auto rm = std::make_shared<RmOptions>();
    auto* r = app.add_subcommand("rm", "Delete a contact with everything attached");
    r->add_option("CONTACT", rm->contact, "#ID, ID or part of the name")->required();
    r->add_flag("--yes", rm->yes, "Confirm the deletion");
    r->callback([rm, &ctx] { run_rm(*rm, ctx); });
}

} // namespace followup::cli
