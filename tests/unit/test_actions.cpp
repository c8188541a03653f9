#include "actions_world.hpp"
// The use cases of the core against :memory: databases, without a process: each write applies
// its rules and returns what it did.

#include <SQLiteCpp/SQLiteCpp.h>
#include <followup/actions/actions.hpp>
#include <followup/actions/recurring.hpp>
#include <followup/domain/cadence.hpp>
#include <followup/util/errors.hpp>
#include <gtest/gtest.h>

using namespace followup;

TEST(Actions, AddSchedulesThePlanAndReturnsIt) {
    World w;
    actions::NewContact in;
    in.contact.name = "Ann Lee";
    in.met = When{t("2026-11-20T00:00:00Z"), std::nullopt};
    in.event = "Chamber Mixer";
    in.referred_by = "Bob Chen";
    auto e = w.env();
    actions::Added a = actions::add_contact(e, in);
    EXPECT_EQ(a.plan, "24/7/30");
    ASSERT_EQ(a.planned.size(), 3u);
    EXPECT_EQ(a.planned[0].due, t("2026-11-21T00:00:00Z"));
    ASSERT_EQ(a.created.size(), 1u);
    EXPECT_EQ(a.created[0].name, "Bob Chen");
    EXPECT_EQ(w.repo.get_contact(a.contact.id).referred_by, "Bob Chen");
    EXPECT_EQ(w.count("SELECT count(*) FROM events"), 1);
    EXPECT_EQ(w.count("SELECT count(*) FROM undo_log"), 1);
}

TEST(Actions, AddWithACadenceAndABirthdayPlacesOneReconnectAndOneCard) {
    // add_contact settles the recurring steps from the contact and plan it has in hand (no
    // reading back): the same rows as sync_recurring from the database gives.
    World w;
    actions::NewContact in;
    in.contact.name = "Ann Lee";
    in.contact.every_days = 30;
    in.contact.birthday = "12-10";
    in.met = When{t("2026-11-19T23:30:00Z"), std::nullopt}; // 18:30 in New York
    auto e = w.env();
    actions::Added a = actions::add_contact(e, in);
    ASSERT_EQ(a.planned.size(), 3u);
    auto open = [&](Kind k) {
        std::vector<Followup> out;
        for (auto& f : w.repo.followups_of(a.contact.id))
            if (f.kind == k && f.status == Status::open) out.push_back(f);
        return out;
    };
    auto reconnect = open(Kind::reconnect);
    ASSERT_EQ(reconnect.size(), 1u);
    EXPECT_EQ(reconnect[0].due, t("2026-12-19T23:30:00Z")); // 30 days on, same local clock
    EXPECT_EQ(reconnect[0].title, "Reconnect with Ann Lee");
    auto card = open(Kind::birthday);
    ASSERT_EQ(card.size(), 1u);
    EXPECT_EQ(card[0].due, t("2026-12-06T04:59:59Z")); // end of December 5th, five days ahead
    // Syncing again from the database changes nothing.
    sync_recurring(w.repo, a.contact.id, w.tc, 5);
    EXPECT_EQ(open(Kind::reconnect)[0].id, reconnect[0].id);
    EXPECT_EQ(open(Kind::birthday)[0].id, card[0].id);
    EXPECT_EQ(w.count("SELECT count(*) FROM followups"), 5);
}

TEST(Actions, DoneGroupsTouchesAndMovesAReferral) {
    World w;
    auto e = w.env();
    actions::ReferralResult r = actions::receive(e, "Ann Lee", "Bob Stone", "");
    ASSERT_EQ(r.steps.size(), 1u);
    EXPECT_EQ(r.steps[0].due, t("2026-11-21T13:00:00Z"));
    Contact bob = actions::resolve_contact(w.repo, "bob");
    std::vector<Followup> more =
        actions::add_followups(e, {bob}, Kind::custom, "Send the brochure", w.tc.now, "");
    w.at("2026-11-20T15:00:00Z");
    e.tc = w.tc;
    actions::DoneResult d = actions::done(e, {r.steps[0].id, more[0].id}, {"Called", {}, ""});
    ASSERT_EQ(d.closed.size(), 2u);
    ASSERT_EQ(d.touches.size(), 1u); // one note, one contact: one touch
    EXPECT_EQ(d.touches[0].contact_id, bob.id);
    EXPECT_EQ(d.touches[0].direction, Direction::out);
    ASSERT_EQ(d.referrals.size(), 1u);
    EXPECT_EQ(d.referrals[0].status, "contacted");
    ASSERT_EQ(d.created.size(), 1u);
    EXPECT_EQ(d.created[0].kind, Kind::report);
    EXPECT_EQ(d.created[0].due, t("2026-11-21T15:00:00Z"));
}

TEST(Actions, AFailedIdWritesNothing) {
    World w;
    Contact ann = w.add("Ann Lee", "24/7/30");
    const int before = w.count("SELECT count(*) FROM interactions");
    auto e = w.env();
    EXPECT_THROW(actions::done(e, {1, 99}, {}), NotFound);
    EXPECT_EQ(w.count("SELECT count(*) FROM interactions"), before);
    EXPECT_EQ(w.repo.get_followup(1).status, Status::open);
    EXPECT_EQ(ann.id, 1);
}

TEST(Actions, WaitingIsTheirsAndChaseMovesTheDeadline) {
    World w;
    Contact bob = w.add("Bob Chen");
    auto e = w.env();
    auto f =
        actions::add_followups(e, {bob}, Kind::waiting, "the intro", t("2026-11-21T18:00:00Z"), "");
    ASSERT_EQ(f[0].title, "Waiting on Bob Chen: the intro");
    w.at("2026-11-22T13:00:00Z");
    e.tc = w.tc;
    auto c = actions::chase(e, {f[0].id}, "", "");
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].chases, 1);
    EXPECT_TRUE(c[0].touch.chase);
    EXPECT_EQ(c[0].followup.due, t("2026-11-25T13:00:00Z"));
    EXPECT_EQ(c[0].followup.original_due, t("2026-11-21T18:00:00Z"));
    w.at("2026-11-23T18:00:00Z");
    e.tc = w.tc;
    auto d = actions::done(e, {f[0].id}, {});
    ASSERT_EQ(d.closed.size(), 1u);
    EXPECT_TRUE(d.closed[0].theirs);
    EXPECT_EQ(d.closed[0].late_seconds, 48 * 3600);
    EXPECT_EQ(d.touches[0].direction, Direction::in);
}

TEST(Actions, UndoRevertsAndRefusesAChangedRow) {
    World w;
    Contact ann = w.add("Ann Lee", "24/7/30");
    auto e = w.env("done 1");
    actions::done(e, {1}, {"Hi", {}, ""});
    EXPECT_EQ(w.count("SELECT count(*) FROM interactions"), 1);
    UndoEntry u = actions::undo(e);
    EXPECT_EQ(u.command, "done 1");
    EXPECT_EQ(w.count("SELECT count(*) FROM interactions"), 0);
    EXPECT_EQ(w.repo.get_followup(1).status, Status::open);
    // Again: the add goes too, and then there is nothing left.
    actions::undo(e);
    EXPECT_EQ(w.count("SELECT count(*) FROM contacts"), 0);
    EXPECT_THROW(actions::undo(e), NotFound);
    (void)ann;
}

TEST(Actions, TheUndoLogKeepsTheLastHundredCommands) {
    World w;
    Contact ann = w.add("Ann Lee");
    auto e = w.env();
    for (int i = 0; i < 120; ++i)
        actions::log(e, {ann}, {"", Direction::out, w.tc.now, std::to_string(i), ""});
    EXPECT_EQ(w.count("SELECT count(*) FROM undo_log"), 100);
    for (int i = 0; i < 100; ++i)
        actions::undo(e);
    EXPECT_EQ(w.count("SELECT count(*) FROM interactions"), 20);
    EXPECT_THROW(actions::undo(e), NotFound);
}

TEST(Actions, EditManyContactsTakesOnlyTags) {
    World w;
    Contact a = w.add("Ann Lee");
    Contact b = w.add("Bob Chen");
    auto e = w.env();
    actions::ContactEdit tag;
    tag.tags = {"dormant"};
    auto out = actions::edit_contacts(e, {a, b}, tag);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[1].tags, std::vector<std::string>{"dormant"});
    actions::ContactEdit name;
    name.company = "Acme";
    EXPECT_THROW(actions::edit_contacts(e, {a, b}, name), UsageError);
}
