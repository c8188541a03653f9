#pragma once
// Who is who: contacts that are likely one person twice (`followup duplicates`).

#include <followup/domain/model.hpp>
#include <string>
#include <vector>

namespace followup {

/// Two contacts that are likely the same person, and why.
struct DuplicatePair {
    Contact a; ///< the older one (lower id)
    Contact b;
    /// "same email ann@example.com", "same phone +447700900123", "same profile
    /// linkedin:linkedin.com/in/ann", "same name": every reason, in that order.
    std::vector<std::string> reasons;
};

/// The likely pairs among `contacts`: those that share an email (without case), a phone (by
/// its digits) or a profile (by its link), and those of the same folded name whose identifiers
/// do not conflict (a kind both have, emails say, with none shared, makes two people). Pairs
/// by the lower id, then the higher.
std::vector<DuplicatePair> find_duplicates(const std::vector<Contact>& contacts);

} // namespace followup
