#pragma once
// Plans and deadlines: which follow-ups a new contact gets, when each is due, and what it says.

#include <followup/domain/model.hpp>
#include <followup/time/dates.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace followup {

/// One step of a plan: a kind of follow-up, due a length of time after the meeting.
struct PlanStep {
    Kind kind{Kind::note};
    Duration after;
};

/// A named list of steps; `24/7/30` is built in, `none` has no steps.
struct Plan {
    std::string name;
    std::vector<PlanStep> steps;
};

/// The built-in plans: `24/7/30` (note +24h, connect +7d, meet +30d) and `none`.
const std::vector<Plan>& builtin_plans();

/// Finds a plan by name among `plans`; throws UsageError naming the known plans otherwise.
const Plan& find_plan(const std::vector<Plan>& plans, std::string_view name);

/// A follow-up the scheduler wants created.
struct Planned {
    Kind kind{Kind::note};
    std::string title;
    Instant due;
    std::string channel; ///< for a `connect` step, the network it happens on
};

/// The deadline of a step counted from the meeting. When the meeting is a date without a clock
/// time (`met.day` set), the deadline is the end of the local day that many days later (hours
/// round up to whole days, 24h counting as one); otherwise it is `met.at` plus the duration.
Instant step_deadline(const When& met, const Duration& after, const Zone* zone);

/// The follow-ups a plan creates for a contact met at `met`, in the plan's order; a `connect`
/// step is on the network connect_network picks from `networks` (the config's
/// `social.networks`) and `fallback` (`social.fallback`); with fallback "none", a person with
/// no social profile who is reached another way gets no `connect` step.
std::vector<Planned> schedule(const Contact& contact, const Plan& plan, const When& met,
                              const Zone* zone,
                              const std::vector<std::string>& networks = {"linkedin"},
                              std::string_view fallback = "contacts");

/// A title that says what to do, using the contact's channel: "Send a note to Jane Doe by
/// email", "Connect with Jane Doe on LinkedIn" (on the network connect_network picks from
/// `networks` and `fallback`), for someone reached another way "Exchange numbers with Jane Doe
/// on WhatsApp", "Add Jane Doe's address to your contacts", "Add Jane Doe as a contact on
/// Discord"; "Arrange a one-to-one with Jane Doe".
std::string plan_title(Kind kind, const Contact& contact,
                       const std::vector<std::string>& networks = {"linkedin"},
                       std::string_view fallback = "contacts");

} // namespace followup
