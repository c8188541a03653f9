// db init, member add, member list: setting up a chapter on a PostgreSQL database
// (docs/chapter.md).

#include "commands.hpp"

#include <fmt/format.h>
#include <followup/store/chapter.hpp>
#include <followup/util/errors.hpp>

namespace followup::cli {
namespace {

struct MemberAddOptions {
    std::string role;
    std::string name;
};

} // namespace

void require_server(Context& ctx, const char* what) {
    if (!is_server_location(ctx.db_path()))
        throw UsageError(fmt::format("{} is only for a PostgreSQL database (--db "
                                     "postgresql://...); a SQLite file has one user and needs "
                                     "no chapter",
                                     what));
}

void setup_chapter(CLI::App& app, Context& ctx) {
    auto* db = app.add_subcommand(
        "db", "Prepare a PostgreSQL database (schema, chapter); copy a whole database");
    db->require_subcommand(1);
    auto* init = db->add_subcommand(
        "init", "Create the schema and the chapter's members, row ownership and row-level "
                "security on a PostgreSQL database (run by its owner; safe to run again)");
    init->callback([&ctx] {
        require_server(ctx, "db init");
        chapter::init(ctx.repo());
        ctx.print(fmt::format("Prepared {} for a chapter\n", ctx.repo().where()));
    });
    add_db_copy(*db, ctx);

    auto* member = app.add_subcommand("member", "The members of a chapter (PostgreSQL)");
    member->require_subcommand(1);
    auto m = std::make_shared<MemberAddOptions>();
    auto* add = member->add_subcommand(
        "add", "Make the database role ROLE a member: LOGIN, the grants followup needs, listed "
               "with its --name (run by the chapter's admin)");
    add->add_option("ROLE", m->role, "The member's database role (created when missing)")
        ->required();
    add->add_option("--name", m->name, "The member's name as the chapter knows it")->required();
    add->callback([m, &ctx] {
        require_server(ctx, "member add");
        bool created = false;
        chapter::add_member(ctx.repo(), m->role, m->name, created);
        ctx.print(fmt::format("{} member {} ({}){}\n", created ? "Added" : "Listed", m->role,
                              m->name, created ? "" : ", an existing role"));
    });
    auto* list = member->add_subcommand("list", "The chapter's members: role and name");
    list->callback([&ctx] {
        require_server(ctx, "member list");
        std::string out;
        for (const auto& x : chapter::members(ctx.repo()))
            out += fmt::format("{:<20} {}\n", x.role, x.name);
        ctx.print(out);
    });
}

} // namespace followup::cli
