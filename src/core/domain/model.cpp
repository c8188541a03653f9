#include <array>
#include <followup/domain/model.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>

namespace followup {
namespace {

constexpr std::array<std::string_view, 13> kind_names{
    "note",    "connect", "meet",      "referral", "report", "thank",  "checkin",
    "promise", "waiting", "reconnect", "birthday", "custom", "meeting"};

constexpr std::array<std::string_view, 3> status_names{"open", "done", "skipped"};

} // namespace

std::string_view to_string(Kind kind) {
    return kind_names.at(static_cast<std::size_t>(kind));
}

std::string_view to_string(Status status) {
    return status_names.at(static_cast<std::size_t>(status));
}

Kind parse_kind(std::string_view text) {
    std::string t = text::lower(text::trim(text));
    for (std::size_t i = 0; i < kind_names.size(); ++i)
        if (kind_names[i] == t) return static_cast<Kind>(i);
    std::vector<std::string> names(kind_names.begin(), kind_names.end());
    throw UsageError("unknown kind '" + std::string(text) + "' (one of " + text::join(names, ", ") +
                     ")");
}

Status parse_status(std::string_view text) {
    std::string t = text::lower(text::trim(text));
    for (std::size_t i = 0; i < status_names.size(); ++i)
        if (status_names[i] == t) return static_cast<Status>(i);
    throw UsageError("unknown status '" + std::string(text) + "' (one of open, done, skipped)");
}

} // namespace followup
