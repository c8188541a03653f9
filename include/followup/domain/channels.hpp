#pragma once
// Contact channels: names, the channel a contact is reached on, and links that open it.

#include <followup/domain/model.hpp>
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
/// else phone when there is a phone, else "". The handle comes from the contact's lists
/// (handle_on).
Via effective_via(const Contact& c);

/// The contact's handle on `channel`: the first email for `email`, the first phone for
/// `phone`, a mobile number (else the first phone) for `sms`, the profile on that network for
/// `whatsapp`, `signal` and `telegram` (else a mobile number), the first postal address for
/// `mail`, and the profile on that network for any other; "" when there is none.
std::string handle_on(const Contact& c, std::string_view channel);

/// True when two emails are the same address (case and blanks aside).
bool same_email(std::string_view a, std::string_view b);

/// True when two phone numbers are the same (compared by their digits and a leading '+').
bool same_phone(std::string_view a, std::string_view b);

/// A key that is the same for two numbers exactly when same_phone says so: the digits with a
/// leading '+', or the trimmed text when there are no digits.
std::string phone_key(std::string_view phone);

/// A key that is the same for two profiles of one person on one network: the network and the
/// link that opens the profile, lower case, without scheme, "www." and a trailing '/'
/// ("linkedin:linkedin.com/in/ann-lee" for both "in/ann-lee" and
/// "https://www.linkedin.com/in/ann-lee/"); the handle when there is no link.
std::string profile_key(const Profile& p);

/// True for labels of a mobile phone ("mobile", "cell", "iphone").
bool is_mobile_label(std::string_view label);

/// Files `c.email`, `c.phone` and the handle given with the channel (`c.handle`) under the
/// lists they belong to, first (an email, a phone number and a postal address, or a profile on
/// the channel's network), removes empty and repeated entries (emails compared without case,
/// phones by their digits), and sets `email` and `phone` to the first of their lists and
/// `handle` to "". Every write of a contact goes through it.
void settle_reach(Contact& c);

/// Parses `[LABEL:]VALUE` as typed after --email, --phone or --address: a leading word of
/// letters (at most 16) followed by ':' is the label ("work:ann@example.com",
/// "mobile:+44 7700 900123", "home:14 Elm Road"). Throws UsageError for an empty value.
Labeled parse_labeled(std::string_view text);

/// Parses `NETWORK:HANDLE` as typed after --profile; the network must be known (see
/// known_channel) and the handle not empty.
Profile parse_profile(std::string_view text, const std::vector<std::string>& custom = {});

/// How a person with no profile on a social network is reached, when it is not by email: the
/// preferred channel (phone, sms, a messenger, mail, a custom one such as discord), else the
/// network of their first profile (steam, whatsapp, discord...), else phone when they have only
/// a phone number, else mail when they have only a postal address; "" when they are reached by
/// email or nothing is known (issue 33).
std::string other_way(const Contact& c, const std::vector<std::string>& networks);

/// The network a `connect` step is on: the first of `networks` (the config's
/// `social.networks`) on which the contact has a profile, else the contact's first profile on
/// a social network; else, for a person reached another way (other_way) and `fallback` not
/// "search" (the config's `social.fallback`), that way (the step becomes "add to your
/// contacts"); else the first of `networks` with a people-search ("linkedin" when it is empty).
std::string connect_network(const Contact& c, const std::vector<std::string>& networks,
                            std::string_view fallback = "contacts");

/// A link that finds a person by name on a network (LinkedIn, Facebook, X, Instagram people
/// search), or "" for a network without one.
std::string people_search_link(std::string_view network, std::string_view name);

/// The link a follow-up opens: channel_link of its channel and handle, or for a `connect`
/// step without a profile on its network, the people-search link for the contact's name.
std::string followup_link(const Followup& f);

/// What a listing shows to reach the person of a follow-up: its link (followup_link), or for
/// post the postal address, on one line.
std::string reach_text(const Followup& f);

/// The network a profile URL is on, by its host ("https://www.linkedin.com/in/ann" is
/// "linkedin", x.com and twitter.com "x", wa.me "whatsapp"), or "" for any other URL.
std::string network_of_url(std::string_view url);

/// The channel's name for people ("LinkedIn", "WhatsApp", "email", "in person").
std::string channel_label(std::string_view channel);

/// True for the social networks a `connect` step happens on (linkedin, facebook, x, instagram,
/// mastodon, and any of `extra`, the config's `social.networks`); messaging channels such as
/// whatsapp, signal, telegram, sms, skype or steam are not.
bool is_social(std::string_view channel, const std::vector<std::string>& extra = {});

/// A link that opens the channel (mailto:, tel:, sms:, https://wa.me/DIGITS, the LinkedIn URL,
/// ...), or "" when there is nothing to open.
std::string channel_link(std::string_view channel, std::string_view handle);
inline std::string channel_link(const Via& via) {
    return channel_link(via.channel, via.handle);
}

} // namespace followup
