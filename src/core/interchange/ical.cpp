#include <cstring>
#include <ctime>
#include <dlfcn.h>
#include <fmt/format.h>
#include <followup/domain/channels.hpp>
#include <followup/interchange/ical.hpp>
#include <followup/time/dates.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <libical/ical.h>
#include <memory>

namespace followup {
namespace {

/// libical, opened when the first calendar is written rather than linked: linking it loads it
/// and the ICU libraries it needs (libicuuc, libicui18n, libicudata) into every command, about
/// 1 ms and 2 MB of start-up that only the ICS export uses. The functions are libical's own,
/// looked up by name; the handle stays open to the end of the process.
#define FOLLOWUP_ICAL_FUNCTIONS(X)                                                                 \
    X(icalcomponent_add_component)                                                                 \
    X(icalcomponent_add_property)                                                                  \
    X(icalcomponent_as_ical_string_r)                                                              \
    X(icalcomponent_free)                                                                          \
    X(icalcomponent_new_valarm)                                                                    \
    X(icalcomponent_new_vcalendar)                                                                 \
    X(icalcomponent_new_vevent)                                                                    \
    X(icalcomponent_new_vtodo)                                                                     \
    X(icaldurationtype_from_int)                                                                   \
    X(icalmemory_free_buffer)                                                                      \
    X(icalproperty_new_action)                                                                     \
    X(icalproperty_new_calscale)                                                                   \
    X(icalproperty_new_categories)                                                                 \
    X(icalproperty_new_completed)                                                                  \
    X(icalproperty_new_description)                                                                \
    X(icalproperty_new_dtend)                                                                      \
    X(icalproperty_new_dtstamp)                                                                    \
    X(icalproperty_new_dtstart)                                                                    \
    X(icalproperty_new_due)                                                                        \
    X(icalproperty_new_duration)                                                                   \
    X(icalproperty_new_location)                                                                   \
    X(icalproperty_new_method)                                                                     \
    X(icalproperty_new_prodid)                                                                     \
    X(icalproperty_new_status)                                                                     \
    X(icalproperty_new_summary)                                                                    \
    X(icalproperty_new_transp)                                                                     \
    X(icalproperty_new_trigger)                                                                    \
    X(icalproperty_new_uid)                                                                        \
    X(icalproperty_new_url)                                                                        \
    X(icalproperty_new_version)                                                                    \
    X(icaltime_from_timet_with_zone)                                                               \
    X(icaltime_null_date)                                                                          \
    X(icaltime_null_time)                                                                          \
    X(icaltimezone_get_utc_timezone)                                                               \
    X(icalparser_parse_string)                                                                     \
    X(icalcomponent_isa)                                                                           \
    X(icalcomponent_get_first_component)                                                           \
    X(icalcomponent_get_next_component)                                                            \
    X(icalcomponent_get_first_property)                                                            \
    X(icalcomponent_get_uid)                                                                       \
    X(icalcomponent_get_status)                                                                    \
    X(icalproperty_get_completed)                                                                  \
    X(icalproperty_status_to_string)                                                               \
    X(icaltime_is_utc)                                                                             \
    X(icaltime_is_null_time)                                                                       \
    X(icaltime_as_timet_with_zone)

struct Libical {
#define FOLLOWUP_ICAL_MEMBER(name) decltype(&::name) name{};
    FOLLOWUP_ICAL_FUNCTIONS(FOLLOWUP_ICAL_MEMBER)
#undef FOLLOWUP_ICAL_MEMBER
};

Libical open_libical() {
    void* handle = ::dlopen(FOLLOWUP_LIBICAL, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr)
        throw Error(fmt::format("cannot read or write a calendar: {} (is libical installed?)",
                                ::dlerror()));
    Libical l;
    auto load = [handle](auto& fn, const char* name) {
        void* symbol = ::dlsym(handle, name);
        if (symbol == nullptr)
            throw Error(fmt::format("cannot read or write a calendar: {} has no {}",
                                    FOLLOWUP_LIBICAL, name));
        static_assert(sizeof fn == sizeof symbol);
        std::memcpy(&fn, &symbol, sizeof fn);
    };
#define FOLLOWUP_ICAL_LOAD(name) load(l.name, #name);
    FOLLOWUP_ICAL_FUNCTIONS(FOLLOWUP_ICAL_LOAD)
#undef FOLLOWUP_ICAL_LOAD
    return l;
}

const Libical& lib() {
    static const Libical loaded = open_libical();
    return loaded;
}

struct ComponentFree {
    void operator()(icalcomponent* c) const { lib().icalcomponent_free(c); }
};
using Component = std::unique_ptr<icalcomponent, ComponentFree>;

/// A component that libical could not allocate is a bug or out of memory: both are fatal here.
Component checked(icalcomponent* c) {
    if (c == nullptr) throw Error("libical could not create a calendar component");
    return Component(c);
}

void add(icalcomponent* c, icalproperty* p) {
    if (p == nullptr) throw Error("libical could not create a calendar property");
    lib().icalcomponent_add_property(c, p);
}

/// An instant as a UTC date-time ("...Z" when printed).
icaltimetype utc(Instant t) {
    return lib().icaltime_from_timet_with_zone(static_cast<time_t>(t.time_since_epoch().count()), 0,
                                               lib().icaltimezone_get_utc_timezone());
}

/// CR LF and lone CR become LF: libical escapes LF as \n.
std::string lf(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r') {
            out += '\n';
            if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string summary(const Followup& f) {
    std::string title = lf(f.title);
    if (!f.contact.empty() && text::fold(title).find(text::fold(f.contact)) == std::string::npos)
        title += " (" + f.contact + ")";
    return title;
}

std::string description(const Followup& f, const std::string& link) {
    std::string d;
    if (!f.contact.empty()) d += "Contact: " + f.contact + "\n";
    if (!f.channel.empty()) {
        d += "Channel: " + channel_label(f.channel);
        if (!f.handle.empty()) d += " " + f.handle;
        d += "\n";
    }
    if (!link.empty()) d += "Link: " + link + "\n";
    d += "Kind: " + std::string(to_string(f.kind));
    if (!f.note.empty()) d += "\n" + f.note;
    return lf(d);
}

Component component(const Followup& f, const IcsOptions& options) {
    Component c =
        checked(options.todo ? lib().icalcomponent_new_vtodo() : lib().icalcomponent_new_vevent());
    icalcomponent* p = c.get();
    std::string uid = f.uuid + "@followup";
    add(p, lib().icalproperty_new_uid(uid.c_str()));
    add(p, lib().icalproperty_new_dtstamp(utc(options.stamp)));
    add(p, lib().icalproperty_new_summary(summary(f).c_str()));
    std::string link = followup_link(f);
    add(p, lib().icalproperty_new_description(description(f, link).c_str()));
    std::string categories = "followup," + std::string(to_string(f.kind));
    add(p, lib().icalproperty_new_categories(categories.c_str()));
    if (link.starts_with("https://") || link.starts_with("http://"))
        add(p, lib().icalproperty_new_url(link.c_str()));
    if (options.todo) {
        add(p, lib().icalproperty_new_due(utc(f.due)));
        switch (f.status) {
        case Status::open:
            add(p, lib().icalproperty_new_status(ICAL_STATUS_NEEDSACTION));
            break;
        case Status::done:
            add(p, lib().icalproperty_new_status(ICAL_STATUS_COMPLETED));
            if (f.done_at) add(p, lib().icalproperty_new_completed(utc(*f.done_at)));
            break;
        case Status::skipped:
            add(p, lib().icalproperty_new_status(ICAL_STATUS_CANCELLED));
            break;
        }
    } else if (f.kind == Kind::meeting) {
        add(p, lib().icalproperty_new_dtstart(utc(f.due)));
        add(p, lib().icalproperty_new_dtend(utc(f.due + f.length.value_or(std::chrono::hours{1}))));
        if (!f.place.empty()) add(p, lib().icalproperty_new_location(lf(f.place).c_str()));
        add(p, lib().icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
        add(p, lib().icalproperty_new_status(f.status == Status::skipped ? ICAL_STATUS_CANCELLED
                                                                         : ICAL_STATUS_CONFIRMED));
        Component alarm = checked(lib().icalcomponent_new_valarm());
        add(alarm.get(), lib().icalproperty_new_action(ICAL_ACTION_DISPLAY));
        icaltriggertype trigger{};
        trigger.time = lib().icaltime_null_time();
        trigger.duration =
            lib().icaldurationtype_from_int(-static_cast<int>(options.alarm.count()));
        add(alarm.get(), lib().icalproperty_new_trigger(trigger));
        add(alarm.get(), lib().icalproperty_new_description(summary(f).c_str()));
        lib().icalcomponent_add_component(p, alarm.release());
    } else if (options.zone && format_local(f.due, options.zone).ends_with("23:59") &&
               f.due == end_of_day(local_day(f.due, options.zone), options.zone)) {
        // A deadline given as a date alone: an all-day event on that day.
        date::year_month_day day{local_day(f.due, options.zone)};
        date::year_month_day next{date::local_days{day} + date::days{1}};
        auto as_date = [](const date::year_month_day& d) {
            icaltimetype t = lib().icaltime_null_date();
            t.year = static_cast<int>(d.year());
            t.month = static_cast<int>(static_cast<unsigned>(d.month()));
            t.day = static_cast<int>(static_cast<unsigned>(d.day()));
            return t;
        };
        add(p, lib().icalproperty_new_dtstart(as_date(day)));
        add(p, lib().icalproperty_new_dtend(as_date(next)));
        add(p, lib().icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
        add(p, lib().icalproperty_new_status(f.status == Status::skipped ? ICAL_STATUS_CANCELLED
                                                                         : ICAL_STATUS_CONFIRMED));
    } else {
        add(p, lib().icalproperty_new_dtstart(utc(f.due)));
        add(p, lib().icalproperty_new_duration(lib().icaldurationtype_from_int(15 * 60)));
        add(p, lib().icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
        add(p, lib().icalproperty_new_status(f.status == Status::skipped ? ICAL_STATUS_CANCELLED
                                                                         : ICAL_STATUS_CONFIRMED));
    }
    return c;
}

} // namespace

std::string write_ics(const std::vector<Followup>& followups, const IcsOptions& options) {
    Component cal = checked(lib().icalcomponent_new_vcalendar());
    add(cal.get(), lib().icalproperty_new_version("2.0"));
    add(cal.get(), lib().icalproperty_new_prodid("-//followup//followup 0.1//EN"));
    add(cal.get(), lib().icalproperty_new_calscale("GREGORIAN"));
    if (options.method) add(cal.get(), lib().icalproperty_new_method(ICAL_METHOD_PUBLISH));
    for (const auto& f : followups)
        lib().icalcomponent_add_component(cal.get(), component(f, options).release());
    // The string is malloc'd by libical (the _r variant): copy it, then free it.
    char* raw = lib().icalcomponent_as_ical_string_r(cal.get());
    if (raw == nullptr) throw Error("libical could not write the calendar");
    std::string out(raw);
    lib().icalmemory_free_buffer(raw);
    return out;
}

std::vector<TodoState> read_todos(std::string_view text, const Zone* zone) {
    std::string copy(text); // libical wants a NUL-terminated string
    icalcomponent* parsed = lib().icalparser_parse_string(copy.c_str());
    if (parsed == nullptr) throw Error("cannot read the calendar: libical found no component");
    Component root(parsed);
    std::vector<TodoState> out;
    auto read = [&](icalcomponent* todo) {
        TodoState t;
        if (const char* uid = lib().icalcomponent_get_uid(todo)) t.uid = uid;
        icalproperty_status status = lib().icalcomponent_get_status(todo);
        if (status != ICAL_STATUS_NONE && status != ICAL_STATUS_X)
            if (const char* s = lib().icalproperty_status_to_string(status)) t.status = s;
        if (icalproperty* p =
                lib().icalcomponent_get_first_property(todo, ICAL_COMPLETED_PROPERTY)) {
            icaltimetype when = lib().icalproperty_get_completed(p);
            if (!lib().icaltime_is_null_time(when)) {
                if (lib().icaltime_is_utc(when) || when.zone != nullptr) {
                    t.completed = Instant{
                        std::chrono::seconds{lib().icaltime_as_timet_with_zone(when, when.zone)}};
                } else { // floating: the user's local time
                    date::local_seconds local =
                        date::local_days{date::year{when.year} /
                                         date::month{static_cast<unsigned>(when.month)} /
                                         date::day{static_cast<unsigned>(when.day)}} +
                        std::chrono::hours{when.hour} + std::chrono::minutes{when.minute} +
                        std::chrono::seconds{when.second};
                    t.completed = to_instant(local, zone);
                }
            }
        }
        out.push_back(std::move(t));
    };
    if (lib().icalcomponent_isa(parsed) == ICAL_VTODO_COMPONENT) {
        read(parsed);
        return out;
    }
    for (icalcomponent* c = lib().icalcomponent_get_first_component(parsed, ICAL_VTODO_COMPONENT);
         c != nullptr; c = lib().icalcomponent_get_next_component(parsed, ICAL_VTODO_COMPONENT))
        read(c);
    return out;
}

} // namespace followup
