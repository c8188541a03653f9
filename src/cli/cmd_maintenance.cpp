// followup doctor, backup, restore: care of the database file (docs/reliability.md); and
// followup db init|copy: a database on a server, and moving a whole database between places.

#include "commands.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <followup/store/copy.hpp>
#include <followup/store/maintenance.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

namespace followup::cli {
namespace {

std::string kb_text(std::uintmax_t bytes) {
    return fmt::format("{} KB", (bytes + 1023) / 1024);
}

std::string copy_text(const RecordCounts& c) {
    return fmt::format("{}, {}", count_text(c.contacts, "contact"),
                       count_text(c.followups_open + c.followups_closed, "follow-up"));
}

// ----------------------------------------------------------------------------------- doctor

struct DoctorOptions {
    Format format{Format::table};
};

nlohmann::ordered_json doctor_json(const DoctorReport& r) {
    nlohmann::ordered_json j;
    j["path"] = r.path;
    j["ok"] = r.ok();
    j["checks"] = nlohmann::ordered_json::array();
    for (const auto& c : r.checks)
        j["checks"].push_back({{"name", c.name}, {"ok", c.ok}, {"detail", c.detail}});
    j["schema_version"] =
        r.stored_version ? nlohmann::ordered_json(*r.stored_version) : nlohmann::ordered_json();
    j["current_schema_version"] = r.current_version;
    if (r.counts)
        j["counts"] = {{"contacts", r.counts->contacts},
                       {"events", r.counts->events},
                       {"followups_open", r.counts->followups_open},
                       {"followups_closed", r.counts->followups_closed},
                       {"interactions", r.counts->interactions},
                       {"referrals", r.counts->referrals}};
    else
        j["counts"] = nullptr;
    j["file_size"] = r.file_size;
    j["wal_size"] = r.wal_size;
    j["page_size"] = r.page_size;
    j["page_count"] = r.page_count;
    j["freelist_count"] = r.freelist_count;
    j["journal_mode"] = r.journal_mode;
    j["advice"] = r.advice;
    return j;
}

void run_doctor(const DoctorOptions& o, Context& ctx) {
    if (o.format != Format::table && o.format != Format::json)
        throw UsageError("doctor prints --format table or json");
    DoctorReport r;
    if (is_server_location(ctx.db_path())) {
        // A server looks after its own pages: what can be checked is that it answers, with a
        // schema this followup knows, and what it holds.
        Repository& repo = ctx.repo();
        Repository::Transaction tx(repo, false);
        r.path = repo.where();
        r.checks.push_back({"connection", true, "the server answers"});
        r.checks.push_back({"schema version", true, fmt::format("{}", repo.stored_version())});
        r.checks.push_back(
            {"records", true,
             fmt::format(
                 "{}, {}",
                 count_text(static_cast<long long>(repo.all_contacts().size()), "contact"),
                 count_text(static_cast<long long>(repo.all_followups().size()), "follow-up"))});
    } else {
        r = check_database(ctx.db_path());
    }
    if (o.format == Format::json) {
        ctx.print(doctor_json(r).dump(2) + "\n");
    } else {
        std::size_t width = 0;
        for (const auto& c : r.checks)
            width = std::max(width, text::width(c.name));
        std::string out = fmt::format("database {}\n", r.path);
        for (const auto& c : r.checks) {
            std::string status =
                c.ok ? ctx.styled("ok     ", fmt::fg(fmt::color::green))
                     : ctx.styled("PROBLEM", fmt::emphasis::bold | fmt::fg(fmt::color::red));
            out += fmt::format("{}  {}{}  {}\n", status, c.name,
                               std::string(width - text::width(c.name), ' '), c.detail);
        }
        if (!r.ok()) {
            std::size_t problems = 0;
            for (const auto& c : r.checks)
                problems += c.ok ? 0 : 1;
            out += fmt::format("\n{} found. To recover:\n",
                               count_text(static_cast<long long>(problems), "problem"));
            for (const auto& a : r.advice)
                out += fmt::format("  - {}\n", a);
        }
        ctx.print(out);
    }
    if (!r.ok()) ctx.exit_status = 1;
}

// ----------------------------------------------------------------------------------- backup

struct BackupOptions {
    std::string file;
    bool force{};
};

void run_backup(const BackupOptions& o, Context& ctx) {
    DatabaseCopy c = is_server_location(ctx.db_path())
                         ? backup_server(ctx.repo(), o.file, o.force)
                         : backup_database(ctx.db_path(), o.file, o.force);
    ctx.print(
        fmt::format("Backed up {} to {} ({})\n", copy_text(c.counts), c.path, kb_text(c.bytes)));
}

// ---------------------------------------------------------------------------------- restore

struct RestoreOptions {
    std::string file;
    bool yes{};
};

void run_restore(const RestoreOptions& o, Context& ctx) {
    const std::string path = ctx.db_path();
    // The file is checked before anything else: a bad one fails with nothing asked or touched.
    DatabaseCopy checked = inspect_backup(o.file);
    if (!o.yes) {
        std::string what = fmt::format("the database {} with {} ({})",
                                       is_server_location(path) ? ctx.repo().where() : path, o.file,
                                       copy_text(checked.counts));
        if (!ctx.interactive())
            throw UsageError(fmt::format("restore replaces {}; add --yes to confirm", what));
        std::cerr << "Replace " << for_terminal(what)
                  << "? The current one is kept beside it. [y/N] " << std::flush;
        std::string answer;
        std::getline(std::cin, answer);
        std::string a = text::lower(text::trim(answer));
        if (a != "y" && a != "yes") {
            ctx.print("Nothing restored.\n");
            return;
        }
    }
    if (is_server_location(path)) {
        restore_server(ctx.repo(), checked);
        ctx.print(fmt::format("Restored {} from {} into {}\n", copy_text(checked.counts),
                              checked.path, ctx.repo().where()));
        return;
    }
    RestoreResult r = restore_database(path, checked, ctx.now());
    std::string out = fmt::format("Restored {} from {} into {}", copy_text(r.restored.counts),
                                  r.restored.path, path);
    if (r.restored.version != r.version)
        out +=
            fmt::format(" (upgraded from schema version {} to {})", r.restored.version, r.version);
    out += "\n";
    out += r.kept.empty() ? std::string("There was no previous database.\n")
                          : fmt::format("The previous database is kept as {}\n", r.kept);
    ctx.print(out);
}

// -------------------------------------------------------------------------------------- db

struct CopyOptions {
    std::string from, to;
};

void run_db_copy(const CopyOptions& o, Context& ctx) {
    if (o.from == o.to) throw UsageError("db copy needs two different places");
    check_location(o.from);
    check_location(o.to);
    // The source must exist: a missing SQLite file is not an empty database to copy.
    std::error_code ec;
    if (!is_server_location(o.from) && !std::filesystem::is_regular_file(o.from, ec))
        throw Error(fmt::format("no database at {}", o.from));
    Repository from(o.from);
    Repository to(o.to);
    from.set_now(ctx.now());
    to.set_now(ctx.now());
    if (from.where() == to.where()) throw UsageError("db copy needs two different places");
    CopyCounts counts = copy_database(from, to);
    std::string out = fmt::format("Copied {} to {}: ", from.where(), to.where());
    bool first = true;
    for (const auto& [table, rows] : counts.tables) {
        out += fmt::format("{}{} {}", first ? "" : ", ", rows, table);
        first = false;
    }
    ctx.print(out + ".\n");
}

} // namespace

void setup_maintenance(CLI::App& app, Context& ctx) {
    auto d = std::make_shared<DoctorOptions>();
    auto* doctor = app.add_subcommand(
        "doctor", "Check the database: integrity, foreign keys, schema version, sizes; exits 1 "
                  "with how to recover when something is wrong");
    add_format_option(*doctor, d->format);
    doctor->callback([d, &ctx] { run_doctor(*d, ctx); });

    auto b = std::make_shared<BackupOptions>();
    auto* backup = app.add_subcommand(
        "backup", "Write a consistent copy of the database to FILE (safe while followup runs)");
    backup->add_option("FILE", b->file, "The backup file to write")->required();
    backup->add_flag("--force", b->force, "Replace FILE when it exists");
    backup->callback([b, &ctx] { run_backup(*b, ctx); });

    auto r = std::make_shared<RestoreOptions>();
    auto* restore = app.add_subcommand(
        "restore", "Replace the database with a backup FILE, keeping the current one beside it");
    restore->add_option("FILE", r->file, "The backup file to restore")->required();
    restore->add_flag("--yes", r->yes, "Do not ask for confirmation");
    restore->callback([r, &ctx] { run_restore(*r, ctx); });
}

void add_db_copy(CLI::App& db, Context& ctx) {
    auto c = std::make_shared<CopyOptions>();
    auto* copy = db.add_subcommand(
        "copy", "Copy a whole database from FROM to TO (SQLite files or PostgreSQL locations); "
                "TO must hold no records");
    copy->add_option("FROM", c->from, "The database to copy")->required();
    copy->add_option("TO", c->to, "The database to copy into (created when missing)")->required();
    copy->callback([c, &ctx] { run_db_copy(*c, ctx); });
}

} // namespace followup::cli
