#pragma once
// Contact channels: names, the channel a contact is reached on, and links that open it.

#include <followup/model.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace followup {

/// A channel with its handle, as given to `--via CHANNEL[:HANDLE]`.
struct Via {
    std::string channel;
    std::string handle;
};

/// Normalises a channel name: lower case, known aliases ("twitter" → "x", "text" → "sms",
/// "in person" → "in-person", "post" → "mail", "wa" → "whatsapp"). Any other single word
/// (letters, digits, '-', '_', '.') is accepted as it is; anything else throws UsageError.
std::string normalize_channel(std::string_view name);

/// A channel name typed by the user: normalised as above, and then it must be one of the known
/// channels and networks or of `custom` (the config's `[channels] custom`); otherwise a
/// UsageError that suggests the nearest known name ("unknown channel 'whatsap'; did you mean
/// 'whatsapp'?").
std::string known_channel(std::string_view name, const std::vector<std::string>& custom = {});

/// Parses `CHANNEL[:HANDLE]` typed by the user, splitting at the first ':'; the channel must be
/// known (see known_channel).
Via parse_via(std::string_view text, const std::vector<std::string>& custom = {});

/// The channel a contact is reached on: the preferred one, else email when there is an email,
/// else phone when there is a phone, else "".
Via effective_via(const Contact& c);

/// The channel's name for people ("LinkedIn", "WhatsApp", "email", "in person").
std::string channel_label(std::string_view channel);

/// True for the social networks a `connect` step happens on.
bool is_social(std::string_view channel);

/// A link that opens the channel (mailto:, tel:, sms:, https://wa.me/DIGITS, the LinkedIn URL,
/// ...), or "" when there is nothing to open.
std::string channel_link(const Via& via);

} // namespace followup
