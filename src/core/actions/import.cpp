#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <cstdio>
#include <exception>
#include <fmt/format.h>
#include <followup/actions/import.hpp>
#include <followup/actions/recurring.hpp>
#include <followup/domain/cadence.hpp>
#include <followup/domain/channels.hpp>
#include <followup/domain/identity.hpp>
#include <followup/interchange/importer.hpp>
#include <followup/interchange/json_records.hpp>
#include <followup/interchange/vcard.hpp>
#include <followup/store/chapter.hpp>
#include <followup/store/repository.hpp>
#include <followup/util/csv.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/input.hpp>
#include <followup/util/text.hpp>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace followup {

using namespace import_detail;

// ---------------------------------------------------------------------------------- apply

namespace {

class Importer {
public:
    Importer(Repository& repo, const ImportData& data, const TimeContext& tc,
             const ImportOptions& options)
        : repo_(repo), data_(data), tc_(tc), options_(options) {}

    ImportReport run() {
        total_ = data_.events.size() + data_.contacts.size() + data_.followups.size() +
                 data_.interactions.size() + data_.referrals.size();
        if (total_ > bulk_records) bulk();
        begin(data_.contacts.size());
        for (const auto& e : data_.events)
            event(e);
        for (const auto& d : data_.contacts)
            contact(d);
        introducers();
        for (const auto& r : data_.referrals)
            referral(r);
        for (const auto& f : data_.followups)
            followup(f);
        for (const auto& i : data_.interactions)
            interaction(i);
        return finish();
    }

    /// More records than this are a bulk load (see bulk()).
    static constexpr std::size_t bulk_records = 5000;

    /// A big import touches pages all over the UUID indexes: give SQLite room to keep them
    /// (64 MiB instead of 2 MiB) rather than spill to the WAL and read them back.
    /// SQLite also builds the list of a CHECK (x IN ('a', 'b', 'c')) again for every row it
    /// inserts (a temporary b-tree each time), which cost a big import a third of its time.
    /// Every value those CHECKs guard comes from followup's own lists here (parse_kind,
    /// parse_status, the reach kinds, the referral statuses the reader checks), so a bulk
    /// load leaves them out (Repository::expect_bulk) until the Importer ends.
    void bulk() {
        if (bulk_.repo) return;
        repo_.expect_bulk(true);
        bulk_.repo = &repo_;
    }

    /// Reads what matching needs of the database, and whether the ids of the file are kept;
    /// `contacts`: how many contacts are coming (room is made for them).
    void begin(std::size_t contacts) {
        // Everything matching needs, read once: no query per row for what is already there.
        auto keys = repo_.contact_keys();
        for (auto* map : {&by_email_, &by_phone_, &by_profile_, &by_name_})
            map->reserve(keys.size() + contacts);
        by_uuid_.reserve(keys.size() + contacts);
        people_.reserve(keys.size() + contacts);
        for (const auto& k : keys) {
            Identity ids;
            for (const auto& e : k.emails)
                ids.emails.push_back(email_key(e));
            for (const auto& p : k.phones)
                ids.phones.push_back(phone_key(p));
            for (const auto& p : k.profiles)
                ids.profiles.push_back(profile_key(p));
            remember(k.id, k.uuid, ids, k.name);
        }
        if (!keys.empty() && !data_.contacts.empty()) {
            for (auto& c : repo_.all_contacts())
                existing_.emplace(c.id, std::move(c));
            bool linkedin = std::any_of(data_.contacts.begin(), data_.contacts.end(),
                                        [](const ContactDraft& d) { return d.connected_on; });
            if (linkedin) {
                for (const auto& i : repo_.all_interactions())
                    if (i.channel == "linkedin" && i.note == connected_note)
                        connected_before_.insert(i.contact_id);
                for (const auto& f : repo_.all_followups(true))
                    if (f.kind == Kind::connect) open_connect_.emplace(f.contact_id, f);
            }
        }
        // A backup restored into an empty database keeps its ids, so that it reads back the
        // same; merged into a database in use, its records get new ids.
        // A chapter member's empty view is not an empty database: other members' rows hold
        // those ids (issue 31), so a member's import always gets new ones.
        keep_ids_ = data_.full_backup && keys.empty() && repo_.all_events().empty() &&
                    !(repo_.on_server() && chapter::me(repo_));
        repo_.set_keep_ids(keep_ids_);
        keep_.repo = &repo_;
    }

    /// Introducers, once every contact of the file has an id.
    void introducers() {
        for (const auto& [id, name_or_file_id] : pending_introducers_)
            introduce(id, name_or_file_id);
        pending_introducers_.clear();
    }

    /// What is left when every record is in: recurring steps, the report.
    ImportReport finish() {
        std::sort(needs_sync_.begin(), needs_sync_.end());
        needs_sync_.erase(std::unique(needs_sync_.begin(), needs_sync_.end()), needs_sync_.end());
        for (Id id : needs_sync_)
            sync_recurring(repo_, id, tc_, options_.birthday_days);
        report_.skipped += data_.skipped;
        if (data_.skipped && options_.keep_actions)
            report_.actions.push_back(
                {ImportAction::What::skip, "row", "",
                 fmt::format("{} rows without a name{}", data_.skipped,
                             data_.format == ImportFormat::linkedin
                                 ? " (LinkedIn members who restrict their data)"
                                 : "")});
        tick(true);
        repo_.set_keep_ids(false);
        return std::move(report_);
    }

    struct Introducer {
        std::optional<Id> file_id;
        std::string name;
    };

    /// What tells a person apart: their emails, phones and profiles, as keys (an email without
    /// case, a phone by its digits, a profile by its link).
    struct Identity {
        std::vector<std::string> emails, phones, profiles;
        /// Which kinds it has: 1 emails, 2 phones, 4 profiles.
        [[nodiscard]] unsigned kinds() const {
            return (emails.empty() ? 0U : 1U) | (phones.empty() ? 0U : 2U) |
                   (profiles.empty() ? 0U : 4U);
        }
    };

    static std::string email_key(std::string_view email) { return text::lower(text::trim(email)); }

    static std::string name_key(std::string_view name) { return identity::name_key(name); }

    static Identity identity_of(const Contact& c) {
        Identity ids;
        for (const auto& e : c.emails)
            if (!text::trim(e.value).empty()) ids.emails.push_back(email_key(e.value));
        for (const auto& p : c.phones)
            if (!text::trim(p.value).empty()) ids.phones.push_back(phone_key(p.value));
        for (const auto& p : c.profiles)
            if (!text::trim(p.handle).empty()) ids.profiles.push_back(profile_key(p));
        return ids;
    }

    /// The names of the kinds in a mask of Identity::kinds ("profile", "email and phone").
    static std::string kinds_text(unsigned kinds) {
        std::vector<std::string> names;
        if (kinds & 1U) names.emplace_back("email");
        if (kinds & 2U) names.emplace_back("phone");
        if (kinds & 4U) names.emplace_back("profile");
        if (names.size() > 1) {
            std::string last = names.back();
            names.pop_back();
            return text::join(names, ", ") + " and " + last;
        }
        return names.empty() ? std::string() : names.front();
    }

    void remember(Id id, const std::string& uuid, const Identity& ids, const std::string& name) {
        identity::Person& p = people_[id];
        p.id = id;
        if (!uuid.empty()) {
            by_uuid_[uuid] = id;
            p.uuid = uuid;
        }
        auto index = [&](auto& map, std::vector<std::string>& mine, const std::string& k) {
            if (k.empty()) return;
            auto& ids_of_key = map[k];
            if (std::find(ids_of_key.begin(), ids_of_key.end(), id) == ids_of_key.end())
                ids_of_key.push_back(id);
            if (std::find(mine.begin(), mine.end(), k) == mine.end()) mine.push_back(k);
        };
        for (const auto& k : ids.emails)
            index(by_email_, p.emails, k);
        for (const auto& k : ids.phones)
            index(by_phone_, p.phones, k);
        for (const auto& k : ids.profiles)
            index(by_profile_, p.profiles, k);
        if (!name.empty()) {
            p.name = name;
            auto& ids_of_name = by_name_[name_key(name)];
            if (std::find(ids_of_name.begin(), ids_of_name.end(), id) == ids_of_name.end())
                ids_of_name.push_back(id);
        }
    }

    void action(ImportAction::What what, const char* record, const std::string& name,
                std::string detail = {}) {
        switch (what) {
        case ImportAction::What::add:
            ++report_.added;
            break;
        case ImportAction::What::update:
            ++report_.updated;
            break;
        case ImportAction::What::unchanged:
            ++report_.unchanged;
            break;
        case ImportAction::What::skip:
            ++report_.skipped;
            break;
        }
        if (options_.keep_actions)
            report_.actions.push_back({what, record, name, std::move(detail)});
        tick(false);
    }

    void tick(bool last) {
        ++done_;
        if (!options_.progress) return;
        if (last)
            options_.progress(total_, total_);
        else if (done_ % 1024 == 0)
            options_.progress(std::min(done_, total_), std::max(done_, total_));
    }

    /// How many records there are in all, or are expected to be (for the progress).
    void expect(std::size_t total) { total_ = total; }
    /// How many records are done.
    [[nodiscard]] std::size_t done() const { return done_; }

    void event(const Event& e) {
        std::optional<Id> id = e.uuid.empty() ? std::nullopt : repo_.find_uuid("events", e.uuid);
        if (!id) {
            if (auto existing = repo_.find_event(e.name)) id = existing->id;
        }
        if (id) {
            action(ImportAction::What::unchanged, "event", e.name);
        } else {
            Event copy = e;
            if (!keep_ids_) copy.id = 0;
            id = repo_.add_event(copy).id;
            action(ImportAction::What::add, "event", e.name);
        }
        (void)id;
    }

    /// How a record was matched, or why not.
    struct Match {
        std::optional<Id> id;       ///< the contact it is
        bool by_name{};             ///< matched by its name alone
        std::optional<Id> similar;  ///< not matched: a contact it may be
        std::string similar_why;    ///< "" for the same name, else the identifier it shares
        std::optional<Id> namesake; ///< not matched: a contact of the same name it is not
        unsigned conflict{};        ///< the kinds of identifiers the namesake has other ones of
    };

    /// Who a record is: identity::match_person decides, among the contacts of its UUID, of any
    /// of its emails, phones and profiles, and of its name (a contact an earlier record of this
    /// file was matched to or added as is `taken`: a second record of that name is not merged
    /// into it by the name alone). A backup restored into an empty database is every record of
    /// it, each its own row (two contacts of the backup may share a phone): only the UUID says
    /// it is the same.
    static Match found(Id id, bool by_name = false) {
        Match m;
        m.id = id;
        m.by_name = by_name;
        return m;
    }

    Match match(const Contact& c, const Identity& ids) {
        if (!c.uuid.empty()) {
            if (auto it = by_uuid_.find(c.uuid); it != by_uuid_.end()) return found(it->second);
        }
        std::vector<Id> seen;
        std::vector<identity::Person> candidates;
        auto consider = [&](const std::vector<Id>& ids_of_key) {
            for (Id id : ids_of_key) {
                if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
                seen.push_back(id);
                auto p = people_.find(id);
                if (p == people_.end()) continue;
                candidates.push_back(p->second);
                candidates.back().taken = claimed_.count(id) > 0;
            }
        };
        auto look = [&](const auto& map, const std::vector<std::string>& keys) {
            for (const auto& k : keys)
                if (auto it = map.find(k); it != map.end()) consider(it->second);
        };
        if (!keep_ids_) {
            look(by_email_, ids.emails);
            look(by_phone_, ids.phones);
            look(by_profile_, ids.profiles);
        }
        if (auto named = by_name_.find(name_key(c.name)); named != by_name_.end())
            consider(named->second);
        if (candidates.empty()) return {};
        identity::Person probe;
        probe.name = c.name;
        probe.emails = ids.emails;
        probe.phones = ids.phones;
        probe.profiles = ids.profiles;
        identity::PersonMatch pm = identity::match_person(probe, candidates);
        Match out;
        bool by_name = pm.why == "same name";
        // A restored backup: only a UUID says two records are one (an identifier never does).
        if (pm.verdict == identity::Verdict::same && keep_ids_ && !by_name) {
            Match kept;
            kept.similar = pm.id;
            return kept;
        }
        if (pm.verdict == identity::Verdict::same) return found(*pm.id, by_name);
        if (!pm.suggestions.empty()) {
            out.similar = pm.suggestions.front();
            // "#3: shares phone 123456 under another name" for the first one
            std::string first = pm.why.substr(0, pm.why.find(';'));
            if (auto at = first.find("shares "); at != std::string::npos)
                out.similar_why = first.substr(at);
        }
        out.namesake = pm.namesake;
        out.conflict = pm.conflict;
        return out;
    }

    void contact(const ContactDraft& d) {
        Contact settled = d.contact;
        settle_reach(settled);
        const Contact& in = settled;
        Identity ids = identity_of(in);
        Match m = match(in, ids);
        std::optional<Id> id = m.id;
        Id db_id = 0;
        bool recurring = false; // has a cadence or a birthday to keep in step
        if (!id) {
            Contact c = in;
            if (!keep_ids_) c.id = 0;
            // The file's own dates (issue 33): LinkedIn's "Connected On" is when they were met,
            // unless the file says otherwise, and the last touch; an event named with a meeting
            // time is on that day.
            if (d.connected_on && !c.last_touch) c.last_touch = connected_at(*d.connected_on);
            if (d.connected_on && !c.met)
                c.met = std::min(start_of_day(*d.connected_on, tc_.zone), tc_.now);
            c.referred_by_id.reset();
            c.event_id.reset();
            if (!in.event.empty()) {
                std::optional<date::local_days> on;
                if (c.met) on = local_day(*c.met, tc_.zone);
                c.event_id = repo_.find_or_create_event(in.event, on, tc_.now).id;
            }
            repo_.insert_contact(c);
            db_id = c.id;
            remember(c.id, c.uuid, ids, c.name);
            std::string detail;
            if (m.similar) {
                // The same name and nothing to tell them apart: added, and said so.
                report_.possible_duplicates.push_back(
                    {c.name, c.id, *m.similar, d.line, m.similar_why});
                detail = fmt::format("possible duplicate of #{}", *m.similar);
            } else if (m.namesake) {
                detail = fmt::format("not #{} of the same name: another {}", *m.namesake,
                                     kinds_text(m.conflict));
            }
            action(ImportAction::What::add, "contact", c.name, std::move(detail));
            if (!data_.full_backup && (c.every_days || !c.birthday.empty()))
                needs_sync_.push_back(c.id);
            recurring = c.every_days || !c.birthday.empty();
        } else {
            db_id = *id;
            auto known = existing_.find(db_id);
            // A contact added earlier in this same import is not in existing_: read it.
            Contact have = known != existing_.end() ? known->second : repo_.get_contact(db_id);
            std::vector<std::string> changed;
            Contact merged = have;
            auto fill = [&](std::string& field, const std::string& value, const char* name) {
                if (field.empty() && !value.empty()) {
                    field = value;
                    changed.emplace_back(name);
                }
            };
            fill(merged.company, in.company, "company");
            fill(merged.title, in.title, "title");
            // Ways to reach them: every one the file has that the contact lacks is added
            // after theirs (the one in use stays first).
            auto gain = [&](auto& have_list, const auto& new_list, const char* name, auto same) {
                bool any = false;
                for (const auto& item : new_list)
                    if (std::none_of(have_list.begin(), have_list.end(),
                                     [&](const auto& h) { return same(h, item); })) {
                        have_list.push_back(item);
                        any = true;
                    }
                if (any) changed.emplace_back(name);
            };
            gain(merged.emails, in.emails, "email",
                 [](const Labeled& a, const Labeled& b) { return same_email(a.value, b.value); });
            gain(merged.phones, in.phones, "phone",
                 [](const Labeled& a, const Labeled& b) { return same_phone(a.value, b.value); });
            gain(merged.addresses, in.addresses, "address",
                 [](const Labeled& a, const Labeled& b) { return a.value == b.value; });
            gain(merged.profiles, in.profiles, "profile", [](const Profile& a, const Profile& b) {
                return profile_key(a) == profile_key(b); // one profile, however the URL is written
            });
            if (merged.channel.empty() && !in.channel.empty()) {
                merged.channel = in.channel;
                changed.emplace_back("channel");
            }
            fill(merged.notes, in.notes, "notes");
            fill(merged.birthday, in.birthday, "birthday");
            if (!merged.met && in.met) merged.met = in.met, changed.emplace_back("met");
            if (!merged.every_days && in.every_days)
                merged.every_days = in.every_days, changed.emplace_back("every");
            if (in.last_touch && (!merged.last_touch || *merged.last_touch < *in.last_touch))
                merged.last_touch = in.last_touch, changed.emplace_back("last touch");
            if (!merged.event_id && !in.event.empty()) {
                merged.event_id = repo_.find_or_create_event(in.event, {}, tc_.now).id;
                changed.emplace_back("event");
            }
            std::vector<std::string> new_tags;
            for (const auto& t : in.tags) {
                std::size_t before = merged.tags.size();
                add_tag(merged, t);
                if (merged.tags.size() != before) new_tags.push_back("+" + t);
            }
            if (!new_tags.empty()) changed.push_back("tags " + text::join(new_tags, " "));
            if (changed.empty()) {
                action(ImportAction::What::unchanged, "contact", have.name);
            } else {
                repo_.update_contact(merged);
                remember(db_id, merged.uuid, identity_of(merged), merged.name);
                action(ImportAction::What::update, "contact", have.name, text::join(changed, ", "));
                if (!data_.full_backup &&
                    (merged.every_days != have.every_days || merged.birthday != have.birthday))
                    needs_sync_.push_back(db_id);
                if (known != existing_.end()) known->second = merged;
            }
            recurring = merged.every_days || !merged.birthday.empty();
        }
        claimed_.insert(db_id);
        if (in.id) file_contacts_[in.id] = db_id;
        if (in.referred_by_id || !in.referred_by.empty())
            pending_introducers_.emplace_back(db_id, Introducer{in.referred_by_id, in.referred_by});
        if (d.connected_on) connected(db_id, *d.connected_on, recurring, !id);
    }

    /// LinkedIn's "Connected On": a touch on LinkedIn (once per contact), which also closes an
    /// open `connect` step.
    void connected(Id id, date::local_days day, bool recurring, bool is_new) {
        if (!connected_before_.insert(id).second) return; // imported before
        Instant at = connected_at(day);
        Interaction touch;
        touch.contact_id = id;
        touch.at = at;
        touch.channel = "linkedin";
        touch.note = connected_note;
        if (auto open = open_connect_.find(id); open != open_connect_.end()) {
            Followup f = open->second;
            f.status = Status::done;
            f.done_at = std::max(at, f.created); // connected before: done when it was planned
            f.note = "connected on LinkedIn (import)";
            repo_.update_followup(f);
            touch.followup_id = f.id;
            open_connect_.erase(open);
        }
        repo_.insert_interaction(touch, !is_new); // a new contact got it as last_touch
        ++report_.touches;
        if (!data_.full_backup && recurring) needs_sync_.push_back(id);
    }

    /// When a LinkedIn connection counts as made: the end of that day, or now if sooner.
    [[nodiscard]] Instant connected_at(date::local_days day) const {
        return std::min(end_of_day(day, tc_.zone), tc_.now);
    }

    void introduce(Id id, const Introducer& who) {
        std::optional<Id> introducer;
        if (who.file_id) {
            if (auto it = file_contacts_.find(*who.file_id); it != file_contacts_.end())
                introducer = it->second;
        }
        if (!introducer && !who.name.empty()) {
            if (auto it = by_name_.find(name_key(who.name)); it != by_name_.end()) {
                introducer = it->second.front();
            } else {
                Contact c;
                c.name = who.name;
                repo_.insert_contact(c);
                remember(c.id, c.uuid, {}, c.name);
                action(ImportAction::What::add, "contact", c.name, "named as an introducer");
                introducer = c.id;
            }
        }
        if (!introducer || *introducer == id) return;
        Contact c = repo_.get_contact(id);
        if (c.referred_by_id) return;
        c.referred_by_id = introducer;
        repo_.update_contact(c);
    }

    std::optional<Id> mapped(const std::optional<Id>& file_id) {
        if (!file_id) return std::nullopt;
        auto it = file_contacts_.find(*file_id);
        if (it == file_contacts_.end()) return std::nullopt;
        return it->second;
    }

    void referral(const Referral& r) {
        // The file's histories by referral, gathered once (not a pass over them per referral).
        if (steps_of_.empty())
            for (const auto& s : data_.referral_steps)
                if (s.referral_id) steps_of_[s.referral_id].push_back(&s);
        std::vector<const ReferralStep*> none;
        auto steps = r.id ? steps_of_.find(r.id) : steps_of_.end();
        referral(r, steps == steps_of_.end() ? none : steps->second);
    }

    /// A referral with its history (the file's steps of it, oldest first; none: a history of
    /// its status alone).
    void referral(const Referral& r, const std::vector<const ReferralStep*>& steps) {
        auto& map = referral_map_;
        std::string name =
            fmt::format("{} → {}", r.referrer.empty() ? "you" : r.referrer, r.prospect);
        if (!r.uuid.empty()) {
            if (auto id = repo_.find_uuid("referrals", r.uuid)) {
                if (r.id) map[r.id] = *id;
                action(ImportAction::What::unchanged, "referral", name);
                return;
            }
        }
        Referral copy = r;
        copy.referrer_id = mapped(r.referrer_id);
        copy.prospect_id = mapped(r.prospect_id);
        copy.member_id = mapped(r.member_id);
        bool has_history = !steps.empty();
        repo_.insert_referral(copy, !has_history);
        for (const ReferralStep* s : steps)
            repo_.add_referral_event(copy.id, s->status, s->note, s->at);
        if (r.id) map[r.id] = copy.id;
        action(ImportAction::What::add, "referral", name);
    }

    void followup(const Followup& f) {
        const auto& referrals = referral_map_;
        auto& map = followup_map_;
        if (!f.uuid.empty()) {
            if (auto id = repo_.find_uuid("followups", f.uuid)) {
                if (f.id) map[f.id] = *id;
                action(ImportAction::What::unchanged, "followup", f.title);
                return;
            }
        }
        auto contact = mapped(f.contact_id);
        if (!contact) {
            action(ImportAction::What::skip, "followup", f.title, "its contact is not in the file");
            return;
        }
        if (f.status == Status::open && existing_.count(*contact)) {
            // Merged into a contact that was already here: one open step of each kind (two
            // birthday cards or two 24/7/30 notes would be the same thing twice).
            for (const auto& have : repo_.followups_of(*contact))
                if (have.status == Status::open && have.kind == f.kind &&
                    (f.kind != Kind::custom && f.kind != Kind::promise && f.kind != Kind::waiting &&
                     f.kind != Kind::meeting)) {
                    action(ImportAction::What::skip, "followup", f.title,
                           fmt::format("the contact already has an open {}", to_string(f.kind)));
                    return;
                }
        }
        if (f.kind == Kind::reconnect && f.status == Status::open &&
            repo_.has_open_reconnect(*contact)) {
            action(ImportAction::What::skip, "followup", f.title,
                   "the contact already has an open reconnect");
            return;
        }
        Followup copy = f;
        copy.contact_id = *contact;
        copy.referral_id.reset();
        if (f.referral_id) {
            if (auto it = referrals.find(*f.referral_id); it != referrals.end())
                copy.referral_id = it->second;
        }
        repo_.insert_followup(copy);
        if (f.id) map[f.id] = copy.id;
        action(ImportAction::What::add, "followup", f.title);
    }

    void interaction(const Interaction& i) {
        const auto& followups = followup_map_;
        if (!i.uuid.empty() && repo_.find_uuid("interactions", i.uuid)) {
            action(ImportAction::What::unchanged, "interaction", i.contact);
            return;
        }
        auto contact = mapped(i.contact_id);
        if (!contact) {
            action(ImportAction::What::skip, "interaction", i.contact,
                   "its contact is not in the file");
            return;
        }
        Interaction copy = i;
        copy.contact_id = *contact;
        copy.followup_id.reset();
        if (i.followup_id) {
            if (auto it = followups.find(*i.followup_id); it != followups.end())
                copy.followup_id = it->second;
        }
        repo_.insert_interaction(copy);
        action(ImportAction::What::add, "interaction", i.contact);
    }

private:
    Repository& repo_;
    const ImportData& data_;
    const TimeContext& tc_;
    const ImportOptions& options_;
    ImportReport report_;
    std::size_t total_{}, done_{};
    std::unordered_map<std::string, Id> by_uuid_;
    /// Identifier key → the contacts that have it.
    std::unordered_map<std::string, std::vector<Id>> by_email_, by_phone_, by_profile_;
    std::unordered_map<std::string, std::vector<Id>> by_name_; ///< identity::name_key → contacts
    std::unordered_map<Id, identity::Person> people_;          ///< what the matcher compares, by id
    std::unordered_set<Id> claimed_;           ///< contacts a record of this file matched or added
    std::unordered_map<Id, Id> file_contacts_; ///< file id → database id
    std::vector<std::pair<Id, Introducer>> pending_introducers_;
    std::vector<Id> needs_sync_;
    bool keep_ids_{};
    std::unordered_map<Id, Contact> existing_;           ///< contacts there before the import
    std::unordered_set<Id> connected_before_;            ///< have their LinkedIn connection touch
    std::unordered_multimap<Id, Followup> open_connect_; ///< open `connect` steps by contact
    std::unordered_map<Id, std::vector<const ReferralStep*>> steps_of_; ///< by file referral id
    std::unordered_map<Id, Id> referral_map_, followup_map_;            ///< file id → database id
    /// Ends the bulk load (see bulk()) and the keeping of ids, however the import ends.
    struct Bulk {
        Repository* repo{};
        Bulk() = default;
        Bulk(const Bulk&) = delete;
        Bulk& operator=(const Bulk&) = delete;
        ~Bulk() {
            try {
                if (repo) repo->expect_bulk(false);
            } catch (...) { // NOLINT(bugprone-empty-catch): the connection is closing
            }
        }
    } bulk_;
    struct KeepIds {
        Repository* repo{};
        KeepIds() = default;
        KeepIds(const KeepIds&) = delete;
        KeepIds& operator=(const KeepIds&) = delete;
        ~KeepIds() {
            if (repo) repo->set_keep_ids(false);
        }
    } keep_;
    static constexpr const char* connected_note = "Connected on LinkedIn";
};

} // namespace

ImportReport apply_import(Repository& repo, const ImportData& data, const TimeContext& tc,
                          const ImportOptions& options) {
    return Importer(repo, data, tc, options).run();
}

} // namespace followup

// ------------------------------------------------------------------------ restore, streamed

namespace followup {
namespace {

/// The bytes of an Input as nlohmann's parser takes them, one block at a time, with the number
/// of the line being read.
struct Feed {
    Input& in;
    const char* p{};
    const char* e{};
    std::size_t line{1};
    char last{}; ///< the byte before p

    explicit Feed(Input& input) : in(input) { view(); }
    void view() {
        std::string_view d = in.data();
        p = d.data();
        e = p + d.size();
    }
    /// True at the end of the input (the next block is read when this one is done).
    bool at_end() {
        if (p != e) return false;
        in.consume(in.data().size());
        in.fill();
        view();
        return p == e;
    }
    /// How many bytes the parser has taken.
    [[nodiscard]] std::size_t taken() const {
        return in.offset() + static_cast<std::size_t>(p - in.data().data());
    }
};

class FeedIterator {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    FeedIterator() = default;
    explicit FeedIterator(Feed* feed) : feed_(feed) {}
    reference operator*() const { return *feed_->p; }
    FeedIterator& operator++() {
        feed_->last = *feed_->p;
        if (feed_->last == '\n') ++feed_->line;
        ++feed_->p;
        return *this;
    }
    FeedIterator operator++(int) {
        FeedIterator was = *this;
        ++*this;
        return was;
    }
    /// The end (a FeedIterator of no Feed) is where the Feed has nothing more.
    bool operator==(const FeedIterator& other) const {
        if ((feed_ == nullptr) == (other.feed_ == nullptr)) return feed_ == other.feed_;
        return (feed_ ? feed_ : other.feed_)->at_end();
    }

private:
    Feed* feed_{};
};

/// Not a file restore_backup streams: the caller reads it the usual way.
struct NotStreamed {};

/// A full backup restored into an empty database as the parser reads it (see restore_backup).
/// The records of each section are read as the parser finishes each, checked as
/// read_json_document checks them and inserted by the Importer; a record that depends on one
/// not read yet (a follow-up of a referral, when the referrals come after the follow-ups) waits
/// for the end. The first record that cannot be read stops the writing, but the file is read to
/// its end, so that the error named is the one read_json_document would name: the first of the
/// first section, in the order events, contacts, referrals, followups, interactions.
class BackupRestore {
public:
    BackupRestore(Repository& repo, const std::string& source, const ReadOptions& read,
                  const TimeContext& tc, const ImportOptions& options, const RestoreOptions& ro)
        : repo_(repo), source_(source), read_(read), ro_(ro), reader_({}, source),
          imp_(repo, data_, tc, options) {
        data_.format = ImportFormat::json;
        data_.full_backup = true;
    }

    std::optional<ImportReport> run(Input& in) {
        while (in.data().size() < 3 && in.fill()) {
        }
        if (in.data().starts_with("\xEF\xBB\xBF")) in.consume(3);
        Feed feed(in);
        feed_ = &feed;
        // Only an object: a list of contacts and the rest are read the usual way.
        while (true) {
            if (feed.at_end()) return std::nullopt;
            char c = *feed.p;
            if (c == '{') break;
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return std::nullopt;
            FeedIterator it(&feed);
            ++it;
        }
        try {
            json rest = json::parse(FeedIterator(&feed), FeedIterator(), std::ref(*this));
            (void)rest; // what is not a record: nothing more is needed of it
        } catch (const NotStreamed&) {
            return std::nullopt;
        } catch (const json::exception&) {
            return std::nullopt; // broken JSON: read_json says what and where
        }
        if (!seen_[contacts]) return std::nullopt; // not a backup: read_json says why
        for (bool& e : ended_)
            e = true;
        finish_deferred();
        for (int s = events; s <= interactions; ++s) {
            const Failure& f = failed_[static_cast<std::size_t>(s)];
            if (!f.any) continue;
            if (f.other) return std::nullopt; // not a UsageError: as read_json has it
            import_error(source_, f.line, fmt::format("{}[{}]: {}", names[s], f.index, f.reason));
        }
        if (apply_error_) return std::nullopt; // read again, and written as apply_import does
        if (read_.record_count_limit && count_[contacts] > read_.record_count_limit)
            import_error(source_, 0,
                         fmt::format("more than {} contacts (followup imports up to {} at a "
                                     "time; split the file)",
                                     read_.record_count_limit, read_.record_count_limit));
        imp_.expect(imp_.done());
        return imp_.finish();
    }

    bool operator()(int depth, json::parse_event_t event, json& parsed) {
        using E = json::parse_event_t;
        if (depth == 0) {
            if (event != E::object_start && event != E::object_end) throw NotStreamed{};
            return true;
        }
        if (depth == 1) {
            if (event == E::key) {
                key_ = parsed.is_string() ? parsed.get<std::string>() : std::string();
                return true;
            }
            int section = section_of(key_);
            if (key_ == "format") {
                bool backup = parsed.is_string() && parsed.get<std::string>() == "followup";
                // A backup's format is its first key: one that comes later, or says another
                // format after records were written, is read the usual way.
                if (!backup && (format_ || started_)) throw NotStreamed{};
                format_ = backup;
                return false;
            }
            if (section == 0) return false;
            if (event == E::array_start) {
                if (!format_ || seen_[static_cast<std::size_t>(section)]) throw NotStreamed{};
                if (!started_) start();
                seen_[static_cast<std::size_t>(section)] = true;
                current_ = section;
                return true;
            }
            if (event == E::array_end) {
                ended_[static_cast<std::size_t>(current_)] = true;
                if (current_ == contacts) contacts_end();
                current_ = 0;
                return false;
            }
            if (event == E::value && parsed.is_null() && format_) {
                seen_[static_cast<std::size_t>(section)] = true; // null: none
                if (!started_) start();
                ended_[static_cast<std::size_t>(section)] = true;
                if (section == contacts) contacts_end();
                return false;
            }
            throw NotStreamed{}; // not an array: read_json says so
        }
        if (depth != 2 || current_ == 0 || event == E::key) return true;
        if (event == E::object_start || event == E::array_start) {
            line_ = feed_->line;
            return true;
        }
        if (event == E::value)
            line_ = feed_->line - (parsed.is_number() && feed_->last == '\n' ? 1 : 0);
        record(current_, parsed, line_);
        return false; // read: not kept in the document
    }

private:
    enum Section : std::uint8_t { none, events, contacts, referrals, followups, interactions };
    static constexpr std::array<const char*, 6> names{"",          "events",    "contacts",
                                                      "referrals", "followups", "interactions"};
    static int section_of(const std::string& key) {
        for (int s = events; s <= interactions; ++s)
            if (key == names[static_cast<std::size_t>(s)]) return s;
        return none;
    }

    struct Failure {
        bool any{};
        std::size_t index{}, line{};
        std::string reason;
        std::exception_ptr other; ///< an error that is not a UsageError
    };
    template <class T> struct Waiting {
        T record;
        std::size_t index, line;
    };
    struct WaitingReferral {
        Referral referral;
        std::vector<ReferralStep> steps;
    };

    /// The first section: the database must be empty (else the usual import merges).
    void start() {
        if (!repo_.all_events().empty() || !repo_.contact_keys().empty()) throw NotStreamed{};
        started_ = true;
        imp_.begin(0);
    }

    void fail(int section, std::size_t index, std::size_t line, std::string reason,
              std::exception_ptr other = nullptr) {
        Failure& f = failed_[static_cast<std::size_t>(section)];
        writing_ = false;
        if (f.any && f.index < index) return;
        f = {true, index, line, std::move(reason), std::move(other)};
    }

    /// Runs `write` unless a record could not be read; the first error it throws stops the
    /// writing (the usual import runs again to say it).
    template <class F> void write(F&& f) {
        if (!writing_) return;
        try {
            f();
        } catch (...) {
            apply_error_ = std::current_exception();
            writing_ = false;
        }
    }

    /// One more record read: the undo log and the bulk load see how many there are.
    void counted() {
        ++records_;
        if (records_ == ro_.large_records + 1 && ro_.large) ro_.large();
        if (records_ == Importer::bulk_records + 1) write([&] { imp_.bulk(); });
        if (records_ % 1024 == 0) {
            std::size_t taken = std::max<std::size_t>(feed_->taken(), 1);
            imp_.expect(std::max(imp_.done(), imp_.done() * ro_.size / taken));
        }
    }

    void record(int section, const json& o, std::size_t line) {
        std::size_t index = count_[static_cast<std::size_t>(section)]++;
        if (failed_[static_cast<std::size_t>(section)].any) return;
        counted();
        try {
            if (!o.is_object()) throw UsageError("must be an object");
            switch (section) {
            case events: {
                Event e = reader_.event(o);
                JsonReader::unique_id(event_ids_, e.id);
                write([&] { imp_.event(e); });
                break;
            }
            case contacts: {
                ContactDraft d = reader_.contact(o);
                d.line = line;
                JsonReader::unique_id(contact_ids_, d.contact.id);
                // It waits for its event when the events are not read yet (and so do the
                // contacts after it, so that they are written in the file's order).
                if (!waiting_contacts_.empty() || (!d.contact.event.empty() && !ended_[events]))
                    waiting_contacts_.push_back({std::move(d), index, line});
                else
                    write([&] { imp_.contact(d); });
                break;
            }
            case referrals: {
                WaitingReferral r;
                r.referral = reader_.referral(o, r.steps);
                if (!contacts_done_ || !waiting_referrals_.empty())
                    waiting_referrals_.push_back({std::move(r), index, line});
                else
                    referral(r);
                break;
            }
            case followups: {
                Followup f = reader_.followup(o);
                // It waits for its contact, or its referral when that is not read (or waits).
                bool wait = !contacts_done_ || !waiting_followups_.empty();
                if (!wait && f.referral_id)
                    wait = !waiting_referrals_.empty() ||
                           (!referral_ids_.count(*f.referral_id) && !ended_[referrals]);
                if (wait) {
                    if (f.id) waiting_followup_ids_.insert(f.id);
                    waiting_followups_.push_back({std::move(f), index, line});
                } else {
                    followup(f);
                }
                break;
            }
            default: {
                Interaction i = reader_.interaction(o);
                // It waits for its contact, or its follow-up when that waits or is not read.
                bool wait = !contacts_done_ || !waiting_interactions_.empty();
                if (!wait && i.followup_id)
                    wait = waiting_followup_ids_.count(*i.followup_id) ||
                           (!followup_ids_.count(*i.followup_id) && !ended_[followups]);
                if (wait) {
                    waiting_interactions_.push_back({std::move(i), index, line});
                    break;
                }
                interaction(i);
                break;
            }
            }
        } catch (const UsageError& e) {
            fail(section, index, line, e.what());
        } catch (...) {
            fail(section, index, line, {}, std::current_exception());
        }
    }

    void known(Id id, const char* what) const {
        if (!contact_ids_.count(id))
            throw UsageError(fmt::format("{} {} is not a contact of this file", what, id));
    }

    void referral(WaitingReferral& r) {
        const Referral& ref = r.referral;
        for (auto [id, what] :
             {std::pair{ref.referrer_id, "referrer_id"}, std::pair{ref.prospect_id, "prospect_id"},
              std::pair{ref.member_id, "member_id"}})
            if (id) known(*id, what);
        JsonReader::unique_id(referral_ids_, ref.id);
        write([&] {
            std::vector<const ReferralStep*> steps;
            for (const auto& s : r.steps)
                steps.push_back(&s);
            imp_.referral(ref, steps);
        });
    }

    void followup(const Followup& f) {
        known(f.contact_id, "contact_id");
        if (f.referral_id && !referral_ids_.count(*f.referral_id))
            throw UsageError(
                fmt::format("referral_id {} is not a referral of this file", *f.referral_id));
        JsonReader::unique_id(followup_ids_, f.id);
        write([&] { imp_.followup(f); });
    }

    void interaction(const Interaction& i) {
        known(i.contact_id, "contact_id");
        if (i.followup_id && !followup_ids_.count(*i.followup_id))
            throw UsageError(
                fmt::format("followup_id {} is not a follow-up of this file", *i.followup_id));
        JsonReader::unique_id(interaction_ids_, i.id);
        write([&] { imp_.interaction(i); });
    }

    /// The contacts are all read: their introducers, once no contact waits for its event.
    void contacts_end() {
        if (!waiting_contacts_.empty() || contacts_done_) return;
        write([&] { imp_.introducers(); });
        contacts_done_ = true;
    }

    /// The records that waited, once the whole file is read, in the order apply_import
    /// writes them.
    void finish_deferred() {
        if (!started_) return;
        for (auto& w : waiting_contacts_)
            write([&] { imp_.contact(w.record); });
        waiting_contacts_.clear();
        contacts_end();
        auto each = [&](int section, auto& waiting, auto&& one) {
            for (auto& w : waiting) {
                try {
                    one(w.record);
                } catch (const UsageError& e) {
                    fail(section, w.index, w.line, e.what());
                }
            }
            waiting.clear();
        };
        each(referrals, waiting_referrals_, [&](WaitingReferral& r) { referral(r); });
        each(followups, waiting_followups_, [&](const Followup& f) { followup(f); });
        each(interactions, waiting_interactions_, [&](const Interaction& i) { interaction(i); });
    }

    Repository& repo_;
    const std::string& source_;
    const ReadOptions& read_;
    const RestoreOptions& ro_;
    ImportData data_;
    JsonReader reader_;
    Importer imp_;
    Feed* feed_{};
    std::string key_;
    int current_{};
    bool format_{}, started_{}, writing_{true}, contacts_done_{};
    std::array<bool, 6> seen_{}, ended_{};
    std::array<std::size_t, 6> count_{};
    std::array<Failure, 6> failed_{};
    std::exception_ptr apply_error_;
    std::size_t line_{}, records_{};
    std::unordered_set<Id> contact_ids_, referral_ids_, followup_ids_, waiting_followup_ids_,
        event_ids_, interaction_ids_;
    std::vector<Waiting<ContactDraft>> waiting_contacts_;
    std::vector<Waiting<WaitingReferral>> waiting_referrals_;
    std::vector<Waiting<Followup>> waiting_followups_;
    std::vector<Waiting<Interaction>> waiting_interactions_;
};

} // namespace

std::optional<ImportReport> restore_backup(Repository& repo, const ImportSource& in,
                                           const std::string& source, const ReadOptions& read,
                                           const TimeContext& tc, const ImportOptions& options,
                                           const RestoreOptions& restore) {
    Input input(in, read.total_limit, source);
    BackupRestore r(repo, source, read, tc, options, restore);
    return r.run(input);
}

} // namespace followup
