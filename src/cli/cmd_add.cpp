// followup add: a contact met somewhere, with the follow-ups of a plan.

#include "commands.hpp"

#include <csignal>
#include <fmt/format.h>
#include <followup/domain/cadence.hpp>
#include <followup/domain/channels.hpp>
#include <followup/domain/scheduler.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <iostream>
#include <unistd.h>

namespace followup::cli {
namespace {

/// Interactive add cancelled (Ctrl-D at a question, or Ctrl-C): nothing is saved, and the
/// status is that of a command interrupted by SIGINT.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled: nothing saved") {}
    [[nodiscard]] int exit_code() const noexcept override { return 130; }
};

/// Ctrl-C while the questions are asked: nothing has been written yet; say so and stop.
extern "C" void cancel_on_interrupt(int) {
    static constexpr char message[] = "\nfollowup: cancelled: nothing saved\n";
    ssize_t ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
    (void)ignored;
    ::_exit(130);
}

/// Ctrl-C cancels while it lives (the questions), as Ctrl-D does.
class CancelOnInterrupt {
public:
    CancelOnInterrupt() { previous_ = std::signal(SIGINT, cancel_on_interrupt); }
    ~CancelOnInterrupt() { std::signal(SIGINT, previous_); }
    CancelOnInterrupt(const CancelOnInterrupt&) = delete;
    CancelOnInterrupt& operator=(const CancelOnInterrupt&) = delete;

private:
    void (*previous_)(int){};
};

struct AddOptions {
    std::string name;
    std::string company;
    std::string title;
    std::vector<std::string> emails;
    std::vector<std::string> phones;
    std::vector<std::string> addresses;
    std::vector<std::string> profiles;
    std::string via;
    std::string event;
    std::string met;
    std::vector<std::string> tags;
    std::string note;
    std::string plan; ///< "" takes the config's default plan
    std::string every;
    std::string referred_by;
    std::string birthday;
    bool allow_new{}; ///< --new
};

/// Reads one answer from stdin after a prompt on stderr; end of input (Ctrl-D) cancels.
std::string ask(const std::string& prompt, const std::string& fallback = "") {
    std::string label = fallback.empty() ? prompt : fmt::format("{} [{}]", prompt, fallback);
    std::cerr << label << ": " << std::flush;
    std::string line;
    if (!std::getline(std::cin, line)) {
        std::cerr << '\n';
        throw Cancelled();
    }
    std::string answer(text::trim(line));
    return answer.empty() ? fallback : answer;
}

/// Asks until `check` accepts the answer (it throws UsageError to refuse one).
template <class Check>
std::string ask_valid(const std::string& prompt, const std::string& fallback, Check check) {
    while (true) {
        std::string answer = ask(prompt, fallback);
        if (answer.empty()) return answer;
        try {
            check(answer);
            return answer;
        } catch (const UsageError& e) {
            std::cerr << "  " << for_terminal(e.what()) << '\n';
        }
    }
}

/// Asks for the fields one by one, as `followup add` does on a terminal without NAME.
void prompt_fields(AddOptions& o, const TimeContext& tc, const Config& plans) {
    CancelOnInterrupt cancel;
    std::cerr << "New contact (Enter skips a field; Ctrl-D or Ctrl-C cancels, saving nothing).\n";
    while (o.name.empty())
        o.name = ask("Name");
    o.company = ask("Company");
    o.title = ask("Title");
    // The ways to reach them, in one flow.
    if (std::string e = ask("Email"); !e.empty()) o.emails.push_back(e);
    if (std::string p = ask("Phone"); !p.empty()) o.phones.push_back(p);
    if (std::string a = ask("Address"); !a.empty()) o.addresses.push_back(a);
    if (std::string p =
            ask_valid("Profile (network:handle, such as linkedin:URL or discord:name)", "",
                      [&](const std::string& v) { parse_profile(v, plans.custom_channels); });
        !p.empty())
        o.profiles.push_back(p);
    o.via = ask_valid("Channel (email, phone, sms, whatsapp, linkedin:URL, ...)", "",
                      [&](const std::string& v) { parse_via(v, plans.custom_channels); });
    o.event = ask("Event");
    o.met = ask_valid("Met (when)", "now", [&](const std::string& v) { parse_when(v, tc); });
    for (const auto& t : text::split(ask("Tags (comma-separated)"), ','))
        if (!text::trim(t).empty()) o.tags.emplace_back(text::trim(t));
    o.note = ask("Note");
    o.plan = ask_valid("Plan", plans.default_plan,
                       [&](const std::string& v) { find_plan(plans.plans, v); });
}

void run_add(AddOptions o, Context& ctx) {
    if (o.name.empty()) {
        if (!ctx.interactive())
            throw UsageError("add needs a NAME (or run it on a terminal to be asked)");
        prompt_fields(o, ctx.time(), ctx.config());
    }
    if (text::trim(o.name).empty()) throw UsageError("the name must not be empty");
    const TimeContext& tc = ctx.time();
    // Everything the user typed is checked before the database is touched.
    actions::NewContact in;
    Contact& c = in.contact;
    c.name = std::string(text::trim(o.name));
    c.company = std::string(text::trim(o.company));
    c.title = std::string(text::trim(o.title));
    for (const auto& e : o.emails)
        c.emails.push_back(parse_labeled(e));
    for (const auto& p : o.phones)
        c.phones.push_back(parse_labeled(p));
    for (const auto& a : o.addresses)
        c.addresses.push_back(parse_labeled(a));
    for (const auto& p : o.profiles)
        c.profiles.push_back(parse_profile(p, ctx.config().custom_channels));
    c.notes = o.note;
    if (!o.via.empty()) {
        Via via = parse_via(o.via, ctx.config().custom_channels);
        c.channel = via.channel;
        c.handle = via.handle;
        in.channel_given = true;
    }
    for (const auto& t : o.tags) {
        std::string tag(text::trim(t));
        if (tag.empty()) throw UsageError("empty tag");
        c.tags.push_back(tag);
    }
    in.met = o.met.empty() ? When{tc.now, std::nullopt} : parse_when(o.met, tc);
    if (!o.every.empty()) c.every_days = parse_cadence(o.every);
    c.birthday = parse_birthday(o.birthday);
    in.event = o.event;
    in.referred_by = o.referred_by;
    in.plan = o.plan;
    in.allow_new = o.allow_new;
    const When met = in.met;

    actions::Env env = ctx.env();
    actions::Added added = actions::add_contact(env, std::move(in));
    c = added.contact;
    const std::vector<Followup>& created = added.planned;
    std::string out = created_text(added.created);
    std::string where = c.event.empty() ? "" : fmt::format(" at {}", c.event);
    out += fmt::format("Added #{} {}, met{} {}\n", c.id, text::one_line(c.name), where,
                       met.day ? format_local_day(*c.met, tc.zone) : when_text(*c.met, tc.zone));
    if (added.past_steps > 0)
        out += fmt::format("No follow-ups planned: met longer ago than plan {} reaches (its {} "
                           "step{} would all be past).{}\n",
                           added.plan, added.past_steps, added.past_steps == 1 ? "" : "s",
                           c.every_days ? "" : " Keep in touch with --every (such as 3m).");
    else if (created.empty())
        out += fmt::format("No follow-ups planned (plan {}).\n", added.plan);
    if (c.every_days)
        out += fmt::format("Keeping in touch every {} days: reconnect due {}.\n", *c.every_days,
                           when_text(reconnect_due(c, tc.zone), tc.zone));
    for (std::size_t i = 0; i < created.size(); ++i) {
        const auto& f = created[i];
        out += fmt::format(
            "  {:>4}  {:<8} {}  {:<10}  {}\n", f.id, to_string(f.kind),
            ctx.styled(when_text(f.due, tc.zone), i == 0 ? fmt::emphasis::bold : fmt::text_style{}),
            relative_text(f.due, tc.now), f.title);
    }
    ctx.print(out);
}

} // namespace

void add_reach_options(CLI::App* cmd, std::vector<std::string>& emails,
                       std::vector<std::string>& phones, std::vector<std::string>& addresses,
                       std::vector<std::string>& profiles) {
    cmd->add_option("--email", emails, "Email address, with an optional label (repeatable)")
        ->type_name("[LABEL:]EMAIL")
        ->allow_extra_args(false);
    cmd->add_option("--phone", phones, "Phone number, with an optional label (repeatable)")
        ->type_name("[LABEL:]PHONE")
        ->allow_extra_args(false);
    cmd->add_option("--address", addresses, "Postal address, with an optional label (repeatable)")
        ->type_name("[LABEL:]TEXT")
        ->allow_extra_args(false);
    cmd->add_option("--profile", profiles,
                    "A profile on a network or messaging service (repeatable)")
        ->type_name("NETWORK:HANDLE")
        ->allow_extra_args(false);
}

void setup_add(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<AddOptions>();
    auto* cmd = app.add_subcommand("add", "Add a contact you met and schedule its follow-ups");
    cmd->add_option("NAME", o->name, "The person's name (asked for on a terminal when left out)");
    cmd->add_option("--company", o->company, "Company");
    cmd->add_option("--title", o->title, "Job title");
    add_reach_options(cmd, o->emails, o->phones, o->addresses, o->profiles);
    cmd->add_option("--via", o->via, "Preferred channel, with an optional handle")
        ->type_name("CHANNEL[:HANDLE]");
    cmd->add_option("--event", o->event, "Where you met (created when new)");
    cmd->add_option("--met", o->met,
                    "When you met (default: now); a date alone gives "
                    "end-of-day deadlines")
        ->type_name("WHEN");
    cmd->add_option("--tag", o->tags, "A tag (repeatable)")
        ->type_name("TAG")
        ->allow_extra_args(false);
    cmd->add_option("--note", o->note, "Free-text notes")->type_name("TEXT");
    cmd->add_option("--plan", o->plan,
                    "Follow-up plan: 24/7/30 (default), none, or one of the "
                    "config file")
        ->type_name("NAME");
    cmd->add_option("--referred-by", o->referred_by, "Who introduced you (created when new)")
        ->type_name("CONTACT");
    cmd->add_option("--birthday", o->birthday,
                    "Birthday, MM-DD or YYYY-MM-DD: a card reminder "
                    "5 days before each one")
        ->type_name("DATE");
    cmd->add_option("--every", o->every,
                    "Keep in touch: a reconnect follow-up one cadence "
                    "after the last touch (e.g. 30d, 2w, 3m)")
        ->type_name("DURATION");
    cmd->add_flag("--new", o->allow_new,
                  "Add even when another contact has one of the emails, phones or profiles (a "
                  "shared family address), and create an introducer whose name is near a "
                  "contact's");
    cmd->callback([o, &ctx] { run_add(*o, ctx); });
}

} // namespace followup::cli
