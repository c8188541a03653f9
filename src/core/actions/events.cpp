// The use cases of events, and undo.

#include "steps.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <followup/actions/actions.hpp>
#include <followup/actions/recurring.hpp>
#include <followup/domain/cadence.hpp>
#include <followup/domain/channels.hpp>
#include <followup/domain/referrals.hpp>
#include <followup/domain/scheduler.hpp>
#include <followup/store/chapter.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <map>
#include <set>

namespace followup::actions {

Event add_event(Env& env, Event event) {
    if (text::trim(event.name).empty()) throw UsageError("an event needs a name");
    Repository::Transaction tx(env.repo, true, env.command);
    Event e = env.repo.add_event(std::move(event));
    tx.commit();
    return e;
}

UndoEntry undo(Env& env) {
    return env.repo.undo_last(); // one transaction of its own, with foreign keys off
}

} // namespace followup::actions
