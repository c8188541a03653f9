// followup sync end to end: a real Radicale server on 127.0.0.1, a real vdirsyncer between it
// and followup's vdirs, and a "phone" (python3 speaking CalDAV/CardDAV to the server) that
// completes a to-do, edits a card and adds one.

#include "harness.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <arpa/inet.h>
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
                              << "\n[logging]\nlevel = warning\n";
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
    if sys.argv[3] == "calendar":
        req("MKCALENDAR", url, '<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" '
            'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><C:supported-calendar-'
            'component-set><C:comp name="VTODO"/></C:supported-calendar-component-set>'
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
    for (auto [col, type] :
         {std::pair{"tasks/", "calendar"}, std::pair{"contacts/", "addressbook"}}) {
        e2e::Result r = f.phone({"mkcol", f.base + col, type});
        ASSERT_EQ(r.status, 0) << r.err << server.log();
    }
    const fs::path contacts = s.dir() / "vdir" / "contacts";
    const fs::path tasks = s.dir() / "vdir" / "tasks";
    fs::create_directories(contacts);
    fs::create_directories(tasks);
    const fs::path vconf = s.dir() / "vdirsyncer.conf";
    {
        std::ofstream c(vconf);
        c << "[general]\nstatus_path = \"" << (s.dir() / "vdirsyncer-status").string() << "/\"\n";
        for (auto [name, dir, type, ext] : {std::tuple{"contacts", contacts, "carddav", ".vcf"},
                                            std::tuple{"tasks", tasks, "caldav", ".ics"}}) {
            c << "\n[pair followup_" << name << "]\na = \"followup_" << name << "_local\"\nb = "
              << "\"followup_" << name << "_phone\"\ncollections = null\n"
              << "conflict_resolution = \"b wins\"\n\n[storage followup_" << name
              << "_local]\ntype = \"filesystem\"\npath = \"" << dir.string() << "/\"\nfileext = \""
              << ext << "\"\n\n[storage followup_" << name << "_phone]\ntype = \"" << type
              << "\"\nurl = \"" << f.base << name << "/\"\nusername = \"phone\"\n"
              << "password = \"secret\"\n";
            if (std::string(type) == "caldav") c << "item_types = [\"VTODO\"]\n";
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
           "config = \""
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
    std::string note_uuid, jane_uuid;
    for (const auto& x : fus)
        if (x["contact"] == "Jane Doe" && x["kind"] == "note") note_uuid = x["uuid"];
    json people = s.json_of({"export", "contacts"});
    for (const auto& c : people)
        if (c["name"] == "Jane Doe") jane_uuid = c["uuid"];
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
    EXPECT_NE(card.find("NICKNAME:JD\r\nEND:VCARD"), std::string::npos) << card; // kept

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
