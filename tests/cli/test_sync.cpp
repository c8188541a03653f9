// followup sync end to end: a real Radicale server on 127.0.0.1, a real vdirsyncer between it
// and followup's vdirs, and a "phone" (python3 speaking CalDAV/CardDAV to the server) that
// completes a to-do, edits a card and adds one.

#include "harness.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <arpa/inet.h>
#include <cctype>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using e2e::json;
using e2e::Sandbox;

namespace {

namespace fs = std::filesystem;

/// A TCP port on 127.0.0.1 that nothing listens on (the kernel's choice).
int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    int port = -1;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    ::close(fd);
    return port;
}

bool accepts(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

/// A Radicale server of the test's own: started in the constructor, stopped (SIGTERM, then
/// SIGKILL) when the guard goes, however the test ends.
class Radicale {
public:
    Radicale(const Sandbox& s, int port) : port_(port) {
        fs::path config = s.dir() / "radicale.conf";
        std::ofstream(config) << "[server]\nhosts = 127.0.0.1:" << port
                              << "\n[auth]\ntype = none\n[rights]\ntype = owner_only\n"
                                 "[storage]\nfilesystem_folder = "
                              << (s.dir() / "radicale").string()
                              << "\n[logging]\nlevel = info\n"; // every request, to count PUTs
        log_ = s.dir() / "radicale.log";
        std::string home = "HOME=" + s.dir().string();
        std::vector<std::string> args{"/usr/bin/radicale", "--config", config.string()};
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        std::string path = "PATH=/usr/bin:/bin";
        char* envp[] = {path.data(), home.data(), nullptr};
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0600);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        if (::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp) != 0) pid_ = -1;
        posix_spawn_file_actions_destroy(&actions);
    }
    ~Radicale() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        for (int i = 0; i < 50; ++i) {
            if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    Radicale(const Radicale&) = delete;
    Radicale& operator=(const Radicale&) = delete;

    /// Waits up to 20 s for the server to listen.
    [[nodiscard]] bool ready() const {
        if (pid_ <= 0) return false;
        for (int i = 0; i < 200; ++i) {
            if (accepts(port_)) return true;
            if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }
    [[nodiscard]] std::string log() const { return e2e::slurp(log_); }

private:
    int port_;
    pid_t pid_{-1};
    fs::path log_;
};

/// The phone: CalDAV/CardDAV through the server with python3's standard library.
///   phone.py mkcol URL calendar|addressbook
///   phone.py uids URL                       (the UID of every item, one a line)
///   phone.py complete URL UID STAMP         (STATUS:COMPLETED, COMPLETED:STAMP)
///   phone.py edit URL UID OLD NEW           (replaces a line of the card, adds a phone and a
///                                           nickname, which followup does not read)
///   phone.py add URL NAME UID EMAIL         (a new card)
///   phone.py put URL FILE TEXT              (a new item at URL/FILE, as given)
///   phone.py get URL FILE                   (the item at URL/FILE)
///   phone.py show URL UID                   (the item with that UID)
///   phone.py replace URL UID OLD NEW        (replaces text in an item, nothing else)
///   phone.py delete URL UID                 (deletes an item)
constexpr const char* phone_py = R"PY(
import base64, re, sys, urllib.request
auth = "Basic " + base64.b64encode(b"phone:secret").decode()
def req(method, url, body=None, headers=None):
    h = {"Authorization": auth}
    h.update(headers or {})
    r = urllib.request.Request(url, data=body.encode() if body is not None else None,
                               method=method, headers=h)
    with urllib.request.urlopen(r) as resp:
        return resp.read().decode(), resp.headers
def items(url):
    body, _ = req("PROPFIND", url, '<?xml version="1.0"?><propfind xmlns="DAV:"><prop>'
                  '<getetag/></prop></propfind>', {"Depth": "1", "Content-Type": "text/xml"})
    hrefs = re.findall(r"<(?:\w+:)?href>([^<]+)</(?:\w+:)?href>", body)
    base = re.match(r"(https?://[^/]+)", url).group(1)
    out = []
    for h in hrefs:
        if h.endswith(".ics") or h.endswith(".vcf"):
            text, headers = req("GET", base + h)
            uid = re.search(r"^UID:(.*?)\r?$", text, re.M).group(1)
            out.append((base + h, text, uid, headers.get("ETag")))
    return out
def find(url, uid):
    for item in items(url):
        if item[2] == uid:
            return item
    sys.exit("no item with UID " + uid)
cmd, url = sys.argv[1], sys.argv[2]
if cmd == "mkcol":
    if sys.argv[3] in ("calendar", "events"):
        comp = "VTODO" if sys.argv[3] == "calendar" else "VEVENT"
        req("MKCALENDAR", url, '<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" '
            'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><C:supported-calendar-'
            'component-set><C:comp name="' + comp + '"/></C:supported-calendar-component-set>'
            '</D:prop></D:set></C:mkcalendar>', {"Content-Type": "text/xml"})
    else:
        req("MKCOL", url, '<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:CR='
            '"urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/>'
            '<CR:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>',
            {"Content-Type": "text/xml"})
elif cmd == "uids":
    for item in items(url):
        print(item[2])
elif cmd == "complete":
    href, text, uid, etag = find(url, sys.argv[3])
    text = text.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED\r\nCOMPLETED:" + sys.argv[4])
    req("PUT", href, text, {"Content-Type": "text/calendar", "If-Match": etag})
elif cmd == "edit":
    href, text, uid, etag = find(url, sys.argv[3])
    assert sys.argv[4] in text, text
    text = text.replace(sys.argv[4], sys.argv[5])
    text = text.replace("END:VCARD", "TEL;TYPE=CELL:+1 212 555 0199\r\nNICKNAME:JD\r\nEND:VCARD")
    req("PUT", href, text, {"Content-Type": "text/vcard", "If-Match": etag})
elif cmd == "add":
    name, uid, email = sys.argv[3], sys.argv[4], sys.argv[5]
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:%s\r\nN:%s;%s;;;\r\nEMAIL;TYPE=INTERNET:%s\r\n"
            "UID:%s\r\nEND:VCARD\r\n") % (name, name.split()[-1], name.split()[0], email, uid)
    req("PUT", url + "added-on-phone.vcf", card, {"Content-Type": "text/vcard",
                                                  "If-None-Match": "*"})
elif cmd == "put":
    req("PUT", url + sys.argv[3], sys.argv[4], {"Content-Type": "text/vcard",
                                               "If-None-Match": "*"})
elif cmd == "get":
    text, _ = req("GET", url + sys.argv[3])
    sys.stdout.write(text)
elif cmd == "show":
    sys.stdout.write(find(url, sys.argv[3])[1])
elif cmd == "replace":
    href, text, uid, etag = find(url, sys.argv[3])
    assert sys.argv[4] in text, text
    req("PUT", href, text.replace(sys.argv[4], sys.argv[5]),
        {"Content-Type": "text/vcard", "If-Match": etag})
elif cmd == "delete":
    href, text, uid, etag = find(url, sys.argv[3])
    req("DELETE", href, None, {"If-Match": etag})
)PY";

struct Fixture {
    Sandbox s;
    int port = free_port();
    std::string base;
    fs::path vdir_config;

    std::map<std::string, std::string> env() const {
        return {{"PATH", "/usr/bin:/bin"}, {"HOME", s.dir().string()}, {"LANG", "C.UTF-8"}};
    }
    e2e::Result phone(std::vector<std::string> args) const {
        args.insert(args.begin(), {"/usr/bin/python3", (s.dir() / "phone.py").string()});
        return e2e::run_program(s, args, env());
    }
    std::vector<std::string> uids(const std::string& collection) const {
        e2e::Result r = phone({"uids", base + collection});
        EXPECT_EQ(r.status, 0) << r.err;
        std::vector<std::string> out;
        std::istringstream in(r.out);
        for (std::string line; std::getline(in, line);)
            out.push_back(line);
        std::sort(out.begin(), out.end());
        return out;
    }
};

std::size_t files_in(const fs::path& dir, const std::string& ext) {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ext) ++n;
    return n;
}

TEST(Sync, PhoneCompletesATodoEditsAndAddsCardsThroughRadicaleAndVdirsyncer) {
    for (const char* tool : {"/usr/bin/radicale", "/usr/bin/vdirsyncer", "/usr/bin/python3"})
        if (!fs::exists(tool))
            GTEST_SKIP() << tool
                         << " is missing (scripts/deps.sh --test installs radicale and "
                            "vdirsyncer)";
    Fixture f;
    Sandbox& s = f.s;
    ASSERT_GT(f.port, 0);
    f.base = "http://127.0.0.1:" + std::to_string(f.port) + "/phone/";
    std::ofstream(s.dir() / "phone.py") << phone_py;
    Radicale server(s, f.port);
    ASSERT_TRUE(server.ready()) << server.log();

    // The server's two collections, as a phone's account would have them.
    for (auto [col, type] : {std::pair{"tasks/", "calendar"}, std::pair{"contacts/", "addressbook"},
                             std::pair{"meetings/", "events"}}) {
        e2e::Result r = f.phone({"mkcol", f.base + col, type});
        ASSERT_EQ(r.status, 0) << r.err << server.log();
    }
    const fs::path contacts = s.dir() / "vdir" / "contacts";
    const fs::path tasks = s.dir() / "vdir" / "tasks";
    const fs::path meetings = s.dir() / "vdir" / "meetings";
    fs::create_directories(contacts);
    fs::create_directories(tasks);
    fs::create_directories(meetings);
    const fs::path vconf = s.dir() / "vdirsyncer.conf";
    {
        std::ofstream c(vconf);
        c << "[general]\nstatus_path = \"" << (s.dir() / "vdirsyncer-status").string() << "/\"\n";
        for (auto [name, dir, type, ext] : {std::tuple{"contacts", contacts, "carddav", ".vcf"},
                                            std::tuple{"tasks", tasks, "caldav", ".ics"},
                                            std::tuple{"meetings", meetings, "caldav", ".ics"}}) {
            c << "\n[pair followup_" << name << "]\na = \"followup_" << name << "_local\"\nb = "
              << "\"followup_" << name << "_phone\"\ncollections = null\n"
              << "conflict_resolution = \"b wins\"\n\n[storage followup_" << name
              << "_local]\ntype = \"filesystem\"\npath = \"" << dir.string() << "/\"\nfileext = \""
              << ext << "\"\n\n[storage followup_" << name << "_phone]\ntype = \"" << type
              << "\"\nurl = \"" << f.base << name << "/\"\nusername = \"phone\"\n"
              << "password = \"secret\"\n";
            if (std::string(name) == "tasks") c << "item_types = [\"VTODO\"]\n";
            if (std::string(name) == "meetings") c << "item_types = [\"VEVENT\"]\n";
        }
    }
    e2e::Result discover = e2e::run_program(
        s, {"/usr/bin/vdirsyncer", "--config", vconf.string(), "discover"}, f.env());
    ASSERT_EQ(discover.status, 0) << discover.out << discover.err;

    fs::create_directories(s.dir() / ".config" / "followup");
    std::ofstream(s.dir() / ".config" / "followup" / "config.toml")
        << "[sync]\ncontacts_dir = \"" << contacts.string() << "\"\nfollowups_dir = \""
        << tasks.string()
        << "\"\ncontacts_pair = \"followup_contacts\"\nfollowups_pair = \"followup_tasks\"\n"
           "meetings_dir = \""
        << meetings.string() << "\"\nmeetings_pair = \"followup_meetings\"\nconfig = \""
        << vconf.string() << "\"\n";

    // Thursday evening: two people met, six follow-ups.
    s.at("2026-11-20T01:00:00Z");
    s.ok({"add", "Jane Doe", "--company", "Acme Corp", "--email", "jane@acme.example", "--met",
          "19:00"});
    s.ok({"add", "Sam Lee", "--email", "sam@lee.example", "--met", "19:30"});
    std::string first = s.ok({"sync"});
    EXPECT_NE(first.find("Exported follow-ups to " + tasks.string() + ": 6 written"),
              std::string::npos)
        << first;
    EXPECT_NE(first.find("Exported contacts to " + contacts.string() + ": 2 written"),
              std::string::npos)
        << first;

    json fus = s.json_of({"export", "followups"});
    ASSERT_EQ(fus.size(), 6u);
    std::string note_uuid, jane_uuid, sam_uuid;
    for (const auto& x : fus)
        if (x["contact"] == "Jane Doe" && x["kind"] == "note") note_uuid = x["uuid"];
    json people = s.json_of({"export", "contacts"});
    for (const auto& c : people) {
        if (c["name"] == "Jane Doe") jane_uuid = c["uuid"];
        if (c["name"] == "Sam Lee") sam_uuid = c["uuid"];
    }
    ASSERT_FALSE(note_uuid.empty());
    ASSERT_FALSE(jane_uuid.empty());
    EXPECT_TRUE(fs::exists(tasks / (note_uuid + ".ics")));
    EXPECT_TRUE(fs::exists(contacts / (jane_uuid + ".vcf")));
    std::vector<std::string> on_server = f.uids("tasks/");
    ASSERT_EQ(on_server.size(), 6u) << server.log();
    EXPECT_TRUE(std::binary_search(on_server.begin(), on_server.end(), note_uuid + "@followup"));
    ASSERT_EQ(f.uids("contacts/").size(), 2u);

    // Friday on the phone: the note sent at 10:00 in New York, Jane's company changed and a
    // phone number added, and a new card.
    const std::string kim_uuid = "6f1c2a4e-9b7d-4c3e-8a1f-2d5e6b7c8d9e";
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"complete", f.base + "tasks/", note_uuid + "@followup", "20261120T150000Z"},
             {"edit", f.base + "contacts/", "urn:uuid:" + jane_uuid, "ORG:Acme Corp", "ORG:Globex"},
             {"add", f.base + "contacts/", "Kim Park", kim_uuid, "kim@park.example"}}) {
        e2e::Result r = f.phone(args);
        ASSERT_EQ(r.status, 0) << args[0] << ": " << r.err << server.log();
    }

    s.at("2026-11-20T16:00:00Z");
    std::string second = s.ok({"sync"});
    EXPECT_NE(second.find("1 follow-up done"), std::string::npos) << second;

    // The database: the note done at the phone's time, with its touch; Jane updated; Kim added.
    EXPECT_EQ(s.query("SELECT status, done_at FROM followups WHERE uuid = '" + note_uuid + "'"),
              "done|" + std::to_string(e2e::epoch("2026-11-20T15:00:00Z")) + "\n");
    json touches = s.json_of({"export", "interactions"});
    ASSERT_EQ(touches.size(), 1u) << touches.dump();
    EXPECT_EQ(touches[0]["contact"], "Jane Doe");
    EXPECT_EQ(touches[0]["at"], "2026-11-20T15:00:00Z");
    EXPECT_EQ(touches[0]["channel"], "email");
    EXPECT_EQ(touches[0]["direction"], "out");
    people = s.json_of({"export", "contacts"});
    ASSERT_EQ(people.size(), 3u) << people.dump();
    json jane, kim;
    for (const auto& c : people) {
        if (c["name"] == "Jane Doe") jane = c;
        if (c["name"] == "Kim Park") kim = c;
    }
    EXPECT_EQ(jane["company"], "Globex") << jane.dump();
    EXPECT_EQ(jane["phones"], json::parse(R"([{"value": "+1 212 555 0199", "label": "mobile"}])"))
        << jane.dump();
    EXPECT_EQ(jane["emails"], json::parse(R"([{"value": "jane@acme.example", "label": null}])"));
    EXPECT_EQ(kim["uuid"], kim_uuid) << people.dump();
    EXPECT_EQ(kim["emails"], json::parse(R"([{"value": "kim@park.example", "label": null}])"));

    // The done follow-up's to-do left the vdir and the server; the others stayed. The new card
    // keeps the phone's file, now in followup's form.
    EXPECT_FALSE(fs::exists(tasks / (note_uuid + ".ics")));
    EXPECT_EQ(files_in(tasks, ".ics"), 5u);
    on_server = f.uids("tasks/");
    EXPECT_EQ(on_server.size(), 5u);
    EXPECT_FALSE(std::binary_search(on_server.begin(), on_server.end(), note_uuid + "@followup"));
    EXPECT_EQ(files_in(contacts, ".vcf"), 3u);
    EXPECT_EQ(f.uids("contacts/").size(), 3u);
    std::string card = e2e::slurp(contacts / (jane_uuid + ".vcf"));
    EXPECT_NE(card.find("ORG:Globex"), std::string::npos) << card;
    EXPECT_NE(card.find("X-FOLLOWUP-LAST-TOUCH:2026-11-20T15:00:00Z"), std::string::npos) << card;
    EXPECT_NE(card.find("\r\nNICKNAME:JD\r\n"), std::string::npos) << card; // kept

    // Once more: nothing to do, nothing written, no touch logged twice.
    auto count = [&s](const char* table) {
        return std::stoll(s.query(std::string("SELECT count(*) FROM ") + table));
    };
    long long rows = count("contacts") + count("followups") + count("interactions");
    std::string third = s.ok({"sync"});
    EXPECT_NE(third.find("Exported follow-ups to " + tasks.string() +
                         ": 0 written, 5 unchanged, 0 removed."),
              std::string::npos)
        << third;
    EXPECT_NE(third.find("Exported contacts to " + contacts.string() +
                         ": 0 written, 3 unchanged, 0 removed."),
              std::string::npos)
        << third;
    EXPECT_EQ(count("contacts") + count("followups") + count("interactions"), rows);
    EXPECT_EQ(s.json_of({"export", "interactions"}).size(), 1u);

    // Issue 31: a card made on the phone, with a UID of its own and grouped labels, survives
    // three syncs with its UID, its file name (href) and its labels, and is one contact.
    const std::string ana_card =
        "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.1//EN\r\n"
        "N:Silva;Ana;;;\r\nFN:Ana Silva\r\n"
        "item1.EMAIL;type=INTERNET;type=pref:ana@silva.example\r\nitem1.X-ABLabel:Consulting\r\n"
        "item2.TEL;type=CELL:+351 21 000 0000\r\nitem2.X-ABLabel:_$!<Mobile>!$_\r\n"
        "UID:A1B2C3D4-E5F6-made-on-phone\r\nEND:VCARD\r\n";
    {
        e2e::Result r = f.phone({"put", f.base + "contacts/", "ana-on-phone.vcf", ana_card});
        ASSERT_EQ(r.status, 0) << r.err << server.log();
    }
    for (int i = 0; i < 3; ++i) {
        s.ok({"sync"});
        e2e::Result r = f.phone({"get", f.base + "contacts/", "ana-on-phone.vcf"});
        ASSERT_EQ(r.status, 0) << i << ": " << r.err;
        EXPECT_NE(r.out.find("UID:A1B2C3D4-E5F6-made-on-phone\r\n"), std::string::npos) << r.out;
        // Radicale stores a card as it reads it (properties sorted, names in upper case,
        // TYPE parameters joined): the group and its label, the values, are the phone's.
        std::string lower = r.out;
        for (char& ch : lower)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        EXPECT_NE(lower.find("\r\nitem1.email;type=internet,pref:ana@silva.example\r\n"),
                  std::string::npos)
            << r.out;
        EXPECT_NE(lower.find("\r\nitem1.x-ablabel:consulting\r\n"), std::string::npos) << r.out;
        EXPECT_NE(lower.find("\r\nitem2.tel;type=cell:+351 21 000 0000\r\n"), std::string::npos)
            << r.out;
        EXPECT_NE(r.out.find(":_$!<Mobile>!$_\r\n"), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("X-FOLLOWUP-UUID:"), std::string::npos) << r.out;
        EXPECT_EQ(s.query("SELECT count(*) FROM contacts WHERE name = 'Ana Silva'"), "1\n");
    }
    EXPECT_EQ(f.uids("contacts/").size(), 4u);
    // vdirsyncer names the local file after the UID; the server keeps the phone's href.
    EXPECT_TRUE(fs::exists(contacts / "A1B2C3D4-E5F6-made-on-phone.vcf"));
    EXPECT_EQ(files_in(contacts, ".vcf"), 4u);

    // Between two syncs: the company edited in followup, the phone number on the phone; a
    // meeting booked. Both edits survive; the meeting is an event in its own calendar.
    const std::string jane_uid = "urn:uuid:" + jane_uuid;
    s.ok({"edit", "Jane Doe", "--company", "Initech"});
    {
        e2e::Result r = f.phone(
            {"replace", f.base + "contacts/", jane_uid, "+1 212 555 0199", "+1 212 555 0142"});
        ASSERT_EQ(r.status, 0) << r.err;
    }
    s.ok({"book", "Jane Doe", "2026-11-25 15:00", "--where", "Cafe Nero", "--for", "45min"});
    std::string merged = s.ok({"sync"});
    EXPECT_EQ(merged.find("Conflict"), std::string::npos) << merged;
    people = s.json_of({"export", "contacts"});
    for (const auto& c : people)
        if (c["name"] == "Jane Doe") jane = c;
    EXPECT_EQ(jane["company"], "Initech") << jane.dump();
    EXPECT_EQ(jane["phones"], json::parse(R"([{"value": "+1 212 555 0142", "label": "mobile"}])"))
        << jane.dump();
    {
        e2e::Result r = f.phone({"show", f.base + "contacts/", jane_uid});
        ASSERT_EQ(r.status, 0) << r.err;
        EXPECT_NE(r.out.find("ORG:Initech\r\n"), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("+1 212 555 0142"), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("NICKNAME:JD\r\n"), std::string::npos) << r.out;
    }
    json meeting;
    for (const auto& x : s.json_of({"export", "followups"}))
        if (x["kind"] == "meeting") meeting = x;
    ASSERT_TRUE(meeting.is_object());
    const std::string meeting_uuid = meeting["uuid"];
    EXPECT_EQ(f.uids("meetings/"), std::vector<std::string>{meeting_uuid + "@followup"});
    on_server = f.uids("tasks/");
    EXPECT_FALSE(
        std::binary_search(on_server.begin(), on_server.end(), meeting_uuid + "@followup"));
    {
        e2e::Result r = f.phone({"show", f.base + "meetings/", meeting_uuid + "@followup"});
        ASSERT_EQ(r.status, 0) << r.err;
        EXPECT_NE(r.out.find("BEGIN:VEVENT\r\n"), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("DTSTART:"), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("DTEND:"), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("LOCATION:Cafe Nero\r\n"), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("BEGIN:VALARM\r\n"), std::string::npos) << r.out;
    }

    // The same field on both sides: reported, the phone's kept, followup's in the notes.
    s.ok({"edit", "Jane Doe", "--company", "Umbrella"});
    {
        e2e::Result r =
            f.phone({"replace", f.base + "contacts/", jane_uid, "ORG:Initech", "ORG:Hooli"});
        ASSERT_EQ(r.status, 0) << r.err;
    }
    std::string conflict = s.ok({"sync"});
    EXPECT_NE(conflict.find("Conflict: Jane Doe: company changed on both sides: kept \"Hooli\" "
                            "from the phone, followup's \"Umbrella\" is in the notes\n"),
              std::string::npos)
        << conflict;
    people = s.json_of({"export", "contacts"});
    for (const auto& c : people)
        if (c["name"] == "Jane Doe") jane = c;
    EXPECT_EQ(jane["company"], "Hooli");
    EXPECT_NE(
        std::string(jane["notes"]).find("company was \"Umbrella\" here, \"Hooli\" on the phone"),
        std::string::npos)
        << jane.dump();
    std::string status = s.ok({"sync", "--status"});
    EXPECT_NE(status.find("1 conflict not settled"), std::string::npos) << status;
    EXPECT_NE(status.find(": company: kept \"Hooli\", followup's was \"Umbrella\""),
              std::string::npos)
        << status;

    // A card deleted on the phone stays deleted there; its contact stays in followup.
    {
        e2e::Result r = f.phone({"delete", f.base + "contacts/", "urn:uuid:" + sam_uuid});
        ASSERT_EQ(r.status, 0) << r.err;
    }
    for (int i = 0; i < 2; ++i) {
        std::string out = s.ok({"sync"});
        EXPECT_NE(out.find("Kept off 1 contact deleted from the address book there"),
                  std::string::npos)
            << out;
        std::vector<std::string> cards = f.uids("contacts/");
        EXPECT_EQ(cards.size(), 3u);
        EXPECT_FALSE(std::binary_search(cards.begin(), cards.end(), "urn:uuid:" + sam_uuid));
        EXPECT_EQ(s.query("SELECT count(*) FROM contacts WHERE uuid = '" + sam_uuid + "'"), "1\n");
    }
    status = s.ok({"sync", "--status"});
    EXPECT_NE(status.find("1 contact deleted from the address book on the other side"),
              std::string::npos)
        << status;
    EXPECT_NE(status.find("  #2 Sam Lee\n"), std::string::npos) << status;

    // Two more syncs: no PUT, no DELETE on the server.
    std::size_t log_before = server.log().size();
    for (int i = 0; i < 2; ++i) {
        std::string out = s.ok({"sync"});
        EXPECT_NE(out.find("Exported contacts to " + contacts.string() + ": 0 written"),
                  std::string::npos)
            << out;
    }
    std::string quiet = server.log().substr(log_before);
    EXPECT_NE(quiet.find("PROPFIND request"), std::string::npos) << quiet; // it was asked
    EXPECT_EQ(quiet.find("PUT request"), std::string::npos) << quiet;
    EXPECT_EQ(quiet.find("DELETE request"), std::string::npos) << quiet;

    // --restore puts Sam's card back.
    std::string restored = s.ok({"sync", "--restore", "Sam Lee"});
    EXPECT_NE(restored.find("Restored #2 Sam Lee to the address book.\n"), std::string::npos)
        << restored;
    on_server = f.uids("contacts/");
    EXPECT_TRUE(std::binary_search(on_server.begin(), on_server.end(), "urn:uuid:" + sam_uuid));
    status = s.ok({"sync", "--status"});
    EXPECT_EQ(status.find("deleted from the address book"), std::string::npos) << status;
    EXPECT_NE(status.find("1 conflict not settled"), std::string::npos) << status;
}

TEST(Sync, WithoutAPairInTheConfigIsAUsageError) {
    Sandbox s;
    e2e::Result r = s.run({"sync"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: sync needs a vdirsyncer pair in the config: [sync] "
                            "contacts_pair and contacts_dir, and/or followups_pair and "
                            "followups_dir (see docs/sync.md)");
}

TEST(Sync, AFailingVdirsyncerIsOneErrorLine) {
    Sandbox s;
    s.ok({"add", "Jane Doe", "--email", "jane@acme.example"});
    fs::path vdir = s.dir() / "contacts";
    e2e::Result r =
        s.run({"--set", "sync.contacts_dir=" + vdir.string(), "--set", "sync.contacts_pair=nowhere",
               "--set", "sync.vdirsyncer=/bin/false", "sync"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err_line(), "followup: vdirsyncer sync nowhere failed (exit 1)");
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
    // The export before it was done: the vdir holds the card.
    EXPECT_EQ(files_in(vdir, ".vcf"), 1u);
}

TEST(Vdir, ExportAndImportFromTheCommandLine) {
    Sandbox s;
    s.at("2026-11-20T01:00:00Z");
    s.ok({"add", "Jane Doe", "--email", "jane@acme.example", "--met", "19:00"});
    fs::path tasks = s.dir() / "tasks";
    EXPECT_EQ(s.ok({"export", "followups", "--vdir", tasks.string()}),
              "Exported follow-ups to " + tasks.string() +
                  ": 3 written, 0 unchanged, 0 removed.\n");
    EXPECT_EQ(s.ok({"export", "followups", "--vdir", tasks.string()}),
              "Exported follow-ups to " + tasks.string() +
                  ": 0 written, 3 unchanged, 0 removed.\n");
    json fus = s.json_of({"export", "followups"});
    std::string note = fus[0]["uuid"];
    fs::path file = tasks / (note + ".ics");
    std::string text = e2e::slurp(file);
    EXPECT_EQ(text.find("METHOD:"), std::string::npos) << text;
    EXPECT_NE(text.find("UID:" + note + "@followup\r\n"), std::string::npos) << text;
    EXPECT_NE(text.find("DTSTAMP:20261120T010000Z\r\n"), std::string::npos) << text;
    // Ticked off elsewhere: export leaves it until import has read it.
    auto at = text.find("STATUS:NEEDS-ACTION");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 19, "STATUS:COMPLETED\r\nCOMPLETED:20261120T140000Z");
    std::ofstream(file, std::ios::binary) << text;
    s.at("2026-11-20T15:00:00Z");
    s.ok({"snooze", "2", "--for", "1d"});
    EXPECT_EQ(s.ok({"export", "followups", "--vdir", tasks.string()}),
              "Exported follow-ups to " + tasks.string() +
                  ": 1 written, 1 unchanged, 0 removed.\nLeft 1 file changed there since "
                  "followup wrote or read it (" +
                  note + ".ics): run 'followup import --vdir " + tasks.string() + "' first.\n");
    EXPECT_EQ(e2e::slurp(file), text);
    EXPECT_EQ(s.ok({"import", "--vdir", tasks.string()}),
              "Imported " + tasks.string() +
                  " (vdir): 0 added, 0 updated, 2 unchanged, 0 skipped.\n1 follow-up done, 0 "
                  "cancelled on the other device.\n");
    EXPECT_EQ(s.json_of({"export", "interactions"}).size(), 1u);
    EXPECT_EQ(s.json_of({"export", "followups"})[0]["done_at"], "2026-11-20T14:00:00Z");
    EXPECT_EQ(s.ok({"import", "--vdir", tasks.string()}),
              "Imported " + tasks.string() +
                  " (vdir): 0 added, 0 updated, 3 unchanged, 0 skipped.\n");
    EXPECT_EQ(s.ok({"export", "followups", "--vdir", tasks.string()}),
              "Exported follow-ups to " + tasks.string() +
                  ": 0 written, 2 unchanged, 1 removed.\n");
    EXPECT_FALSE(fs::exists(file));
    EXPECT_EQ(s.json_of({"export", "interactions"}).size(), 1u);
}

TEST(Vdir, UsageErrors) {
    Sandbox s;
    for (const auto& [args, line] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{"export", "--vdir", "d"},
              "followup: --vdir exports contacts or followups: 'export contacts --vdir DIR' or "
              "'export followups --vdir DIR'"},
             {{"export", "contacts", "--vdir", "d", "--format", "vcf"},
              "followup: --vdir writes vCard 3.0 or VTODO files: it takes no --format, --todo or "
              "--vcard"},
             {{"import", "x.vcf", "--vdir", "d"},
              "followup: import reads a FILE or a --vdir DIR, not both"},
             {{"import"}, "followup: import needs a FILE (or - for stdin) or --vdir DIR"}}) {
        e2e::Result r = s.run(args);
        EXPECT_EQ(r.status, 2) << args[0];
        EXPECT_EQ(r.err_line(), line);
    }
    e2e::Result r = s.run({"import", "--vdir", (s.dir() / "missing").string()});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err_line(), "followup: cannot read the folder " + (s.dir() / "missing").string() +
                                ": No such file or directory");
}

} // namespace
