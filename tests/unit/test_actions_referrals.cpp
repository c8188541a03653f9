#include "actions_world.hpp"
// The use cases on referrals (receive, give, update) against a :memory: database: the referral
// rows, the contacts created on the fly, the steps with their exact deadlines, the touches with
// the right person in the right direction, errors, and that a failed call writes nothing.

#include <followup/actions/actions.hpp>
#include <followup/util/errors.hpp>
#include <gtest/gtest.h>

using namespace followup;

namespace {

actions::ReferralUpdate status(const std::string& s, std::optional<double> amount = {},
                               const std::string& note = "", const std::string& to = "") {
    return {s, amount, note, to};
}

int open_of_kind(World& w, const char* kind) {
    return w.count(
        std::string("SELECT count(*) FROM followups WHERE status = 'open' AND kind = '") + kind +
        "'");
}

} // namespace

// --------------------------------------------------------------------------------- receive

TEST(ActionsReferrals, ReceiveCreatesThePeopleTheReferralAndTheStepToContactTheProspect) {
    World w;
    auto e = w.env();
    actions::ReferralResult r = actions::receive(e, "Ann Lee", "Bob Stone", "plays golf");
    ASSERT_EQ(r.created.size(), 2u);
    EXPECT_EQ(r.created[0].name, "Ann Lee");
    EXPECT_EQ(r.created[1].name, "Bob Stone");
    const Id ann = r.created[0].id, bob = r.created[1].id;
    EXPECT_EQ(r.referral.direction, "received");
    EXPECT_EQ(r.referral.referrer_id, ann);
    EXPECT_EQ(r.referral.referrer, "Ann Lee");
    EXPECT_EQ(r.referral.prospect_id, bob);
    EXPECT_EQ(r.referral.prospect, "Bob Stone");
    EXPECT_FALSE(r.referral.member_id.has_value());
    EXPECT_EQ(r.referral.status, "new");
    EXPECT_EQ(r.referral.note, "plays golf");
    EXPECT_EQ(r.referral.created, t("2026-11-20T13:00:00Z"));
    ASSERT_EQ(r.steps.size(), 1u);
    const Followup& s = r.steps[0];
    EXPECT_EQ(s.kind, Kind::referral);
    EXPECT_EQ(s.contact_id, bob);
    EXPECT_EQ(s.title, "Contact Bob Stone, referred by Ann Lee");
    EXPECT_EQ(s.due, t("2026-11-21T13:00:00Z")); // response.referral: 24 hours
    EXPECT_EQ(s.referral_id, r.referral.id);
    // The lead is word from Ann: an incoming touch (issue 33).
    ASSERT_EQ(r.touches.size(), 1u);
    EXPECT_EQ(r.touches[0].contact_id, ann);
    EXPECT_EQ(r.touches[0].direction, Direction::in);
    EXPECT_EQ(r.touches[0].note, "Referred Bob Stone to you");
    EXPECT_TRUE(r.closed.empty());
    EXPECT_EQ(w.repo.get_contact(bob).referred_by_id, ann);
    EXPECT_FALSE(w.repo.get_contact(ann).referred_by_id.has_value());
    EXPECT_EQ(w.count("SELECT count(*) FROM contacts"), 2);
    EXPECT_EQ(w.count("SELECT count(*) FROM referrals"), 1);
    EXPECT_EQ(w.count("SELECT count(*) FROM followups"), 1);
    EXPECT_EQ(w.count("SELECT count(*) FROM interactions"), 1);
    auto history = w.repo.referral_history(r.referral.id);
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].second, "new");
    EXPECT_EQ(w.count("SELECT count(*) FROM undo_log"), 1);
}

TEST(ActionsReferrals, ReceiveKeepsTheProspectsIntroducer) {
    World w;
    auto e = w.env();
    actions::NewContact in;
    in.contact.name = "Bob Stone";
    in.met = When{w.tc.now, std::nullopt};
    in.plan = "none";
    in.referred_by = "Dan Fox";
    actions::Added bob = actions::add_contact(e, in);
    const Id dan = bob.created.at(0).id;
    actions::ReferralResult r = actions::receive(e, "Ann Lee", "bob", "");
    ASSERT_EQ(r.created.size(), 1u); // Ann only
    EXPECT_EQ(r.referral.prospect_id, bob.contact.id);
    EXPECT_EQ(w.repo.get_contact(bob.contact.id).referred_by_id, dan);
}

TEST(ActionsReferrals, ReceiveRefusesOnePersonTwiceOrAnUnknownIdAndCreatesNobody) {
    World w;
    w.add("Ann Lee");
    w.add("Dan Lee");
    auto e = w.env();
    const std::string before = w.snapshot();
    EXPECT_TRUE(
        throws_exactly<UsageError>([&] { actions::receive(e, "Zoe Park", "zoe park", ""); }));
    EXPECT_TRUE(throws_exactly<NotFound>([&] { actions::receive(e, "#42", "Bob Stone", ""); }));
    EXPECT_TRUE(throws_exactly<NotFound>([&] { actions::receive(e, "Bob Stone", "42", ""); }));
    EXPECT_THROW(actions::receive(e, "lee", "Bob Stone", ""), Ambiguous);
    EXPECT_EQ(w.snapshot(), before);
    EXPECT_EQ(w.count("SELECT count(*) FROM contacts"), 2);
}

// ------------------------------------------------------------------------------------ give

TEST(ActionsReferrals, GiveSchedulesACheckinWithTheMember) {
    World w;
    auto e = w.env();
    actions::ReferralResult g = actions::give(e, "Cara Diaz", "Dan Fox", "needs a plumber");
    ASSERT_EQ(g.created.size(), 2u);
    const Id cara = g.created[0].id, dan = g.created[1].id;
    EXPECT_EQ(g.created[0].name, "Cara Diaz");
    EXPECT_EQ(g.created[1].name, "Dan Fox");
    EXPECT_EQ(g.referral.direction, "given");
    EXPECT_EQ(g.referral.member_id, cara);
    EXPECT_EQ(g.referral.prospect_id, dan);
    EXPECT_FALSE(g.referral.referrer_id.has_value());
    EXPECT_EQ(g.referral.status, "new");
    EXPECT_EQ(g.referral.note, "needs a plumber");
    ASSERT_EQ(g.steps.size(), 1u);
    EXPECT_EQ(g.steps[0].kind, Kind::checkin);
    EXPECT_EQ(g.steps[0].contact_id, cara);
    EXPECT_EQ(g.steps[0].title, "Ask Cara Diaz whether they reached Dan Fox");
    EXPECT_EQ(g.steps[0].due, t("2026-11-27T13:00:00Z")); // response.checkin: 7 days
    EXPECT_EQ(g.steps[0].referral_id, g.referral.id);
    EXPECT_EQ(g.shared_with, "");
    EXPECT_FALSE(w.repo.get_contact(dan).referred_by_id.has_value());
    EXPECT_EQ(w.count("SELECT count(*) FROM followups"), 1);
    EXPECT_EQ(w.count("SELECT count(*) FROM interactions"), 0);
}

// --------------------------------------------------------------------- update, received

TEST(ActionsReferrals, AReceivedLeadMovesFromContactedToMetToWon) {
    World w;
    auto e = w.env();
    actions::ReferralResult r = actions::receive(e, "Ann Lee", "Bob Stone", "");
    const Id id = r.referral.id, ann = r.created[0].id, bob = r.created[1].id;
    const Id step = r.steps[0].id;

    w.at("2026-11-21T10:00:00Z");
    e.tc = w.tc;
    actions::ReferralResult c = actions::update_referral(e, id, status("contacted"));
    EXPECT_EQ(c.referral.status, "contacted");
    ASSERT_EQ(c.closed.size(), 1u);
    EXPECT_EQ(c.closed[0].id, step);
    Followup s = w.repo.get_followup(step);
    EXPECT_EQ(s.status, Status::done);
    EXPECT_EQ(s.done_at, t("2026-11-21T10:00:00Z"));
    ASSERT_EQ(c.touches.size(), 1u);
    EXPECT_EQ(c.touches[0].contact_id, bob);
    EXPECT_EQ(c.touches[0].direction, Direction::out);
    EXPECT_EQ(c.touches[0].at, t("2026-11-21T10:00:00Z"));
    EXPECT_EQ(c.touches[0].note, "Contact Bob Stone, referred by Ann Lee");
    EXPECT_EQ(c.touches[0].followup_id, step);
    ASSERT_EQ(c.steps.size(), 1u);
    const Id report = c.steps[0].id;
    EXPECT_EQ(c.steps[0].kind, Kind::report);
    EXPECT_EQ(c.steps[0].contact_id, ann);
    EXPECT_EQ(c.steps[0].title, "Tell Ann Lee how it went with Bob Stone");
    EXPECT_EQ(c.steps[0].due, t("2026-11-22T10:00:00Z")); // response.report: 24 hours
    EXPECT_EQ(w.repo.get_contact(bob).last_touch, t("2026-11-21T10:00:00Z"));

    // Met: a touch in person with the prospect; the one report retitled, with a fresh deadline.
    w.at("2026-11-23T16:00:00Z");
    e.tc = w.tc;
    actions::ReferralResult m =
        actions::update_referral(e, id, status("met", {}, "Lunch at the club"));
    EXPECT_EQ(m.referral.status, "met");
    EXPECT_EQ(m.referral.note, "Lunch at the club");
    EXPECT_TRUE(m.closed.empty());
    ASSERT_EQ(m.touches.size(), 1u);
    EXPECT_EQ(m.touches[0].contact_id, bob);
    EXPECT_EQ(m.touches[0].channel, "in-person");
    EXPECT_EQ(m.touches[0].direction, Direction::out);
    EXPECT_EQ(m.touches[0].note, "Lunch at the club");
    EXPECT_FALSE(m.touches[0].followup_id.has_value());
    ASSERT_EQ(m.steps.size(), 1u);
    EXPECT_EQ(m.steps[0].id, report);
    Followup rep = w.repo.get_followup(report);
    EXPECT_EQ(rep.title, "Tell Ann Lee that you met Bob Stone");
    EXPECT_EQ(rep.due, t("2026-11-24T16:00:00Z"));
    EXPECT_EQ(rep.original_due, t("2026-11-24T16:00:00Z"));
    EXPECT_EQ(rep.status, Status::open);
    EXPECT_EQ(open_of_kind(w, "report"), 1);

    // Won: the report gives way to the thank-you, which names the amount.
    w.at("2026-11-28T12:00:00Z");
    e.tc = w.tc;
    actions::ReferralResult won = actions::update_referral(e, id, status("won", 1500.0));
    EXPECT_EQ(won.referral.status, "won");
    EXPECT_EQ(won.referral.amount, 1500.0);
    ASSERT_EQ(won.closed.size(), 1u);
    EXPECT_EQ(won.closed[0].id, report);
    EXPECT_EQ(w.repo.get_followup(report).status, Status::skipped);
    EXPECT_EQ(w.repo.get_followup(report).note, "superseded by the thank-you");
    ASSERT_EQ(won.steps.size(), 1u);
    EXPECT_EQ(won.steps[0].kind, Kind::thank);
    EXPECT_EQ(won.steps[0].contact_id, ann);
    EXPECT_EQ(won.steps[0].title, "Thank Ann Lee for the business with Bob Stone (1500.00)");
    EXPECT_EQ(won.steps[0].due, t("2026-11-29T12:00:00Z"));
    EXPECT_EQ(won.steps[0].referral_id, id);
    ASSERT_EQ(won.touches.size(), 1u);
    EXPECT_EQ(won.touches[0].contact_id, bob);
    EXPECT_EQ(won.touches[0].note, "Referral: won");
    EXPECT_EQ(won.touches[0].channel, "");

    EXPECT_EQ(w.count("SELECT count(*) FROM followups WHERE status = 'open'"), 1); // the thanks
    EXPECT_EQ(w.count("SELECT count(*) FROM interactions"), 4);
    // With Ann only the lead itself (incoming), no report.
    EXPECT_EQ(
        w.count("SELECT count(*) FROM interactions WHERE contact_id = " + std::to_string(ann)), 1);
    auto history = w.repo.referral_history(id);
    ASSERT_EQ(history.size(), 4u);
    EXPECT_EQ(history[1].first, t("2026-11-21T10:00:00Z"));
    EXPECT_EQ(history[1].second, "contacted");
    EXPECT_EQ(history[2].second, "met");
    EXPECT_EQ(history[3].first, t("2026-11-28T12:00:00Z"));
    EXPECT_EQ(history[3].second, "won");
}

TEST(ActionsReferrals, DecliningALeadSkipsItsStepWithoutATouch) {
    World w;
    auto e = w.env();
    actions::ReferralResult r = actions::receive(e, "Ann Lee", "Bob Stone", "");
    w.at("2026-11-20T18:00:00Z");
    e.tc = w.tc;
    actions::ReferralResult d = actions::update_referral(e, r.referral.id, status("declined"));
    ASSERT_EQ(d.closed.size(), 1u);
    Followup s = w.repo.get_followup(r.steps[0].id);
    EXPECT_EQ(s.status, Status::skipped);
    EXPECT_EQ(s.note, "referral declined");
    EXPECT_TRUE(d.touches.empty());
    EXPECT_EQ(w.count("SELECT count(*) FROM interactions"), 1); // the lead from Ann only
    ASSERT_EQ(d.steps.size(), 1u);
    EXPECT_EQ(d.steps[0].kind, Kind::report);
    EXPECT_EQ(d.steps[0].contact_id, r.created[0].id);
    EXPECT_EQ(d.steps[0].title, "Tell Ann Lee politely that you declined Bob Stone");
    EXPECT_EQ(d.steps[0].due, t("2026-11-21T18:00:00Z"));
    EXPECT_EQ(w.repo.get_referral(r.referral.id).status, "declined");
}

TEST(ActionsReferrals, ALostLeadWasReachedAndTheReferrerIsTold) {
    World w;
    auto e = w.env();
    actions::ReferralResult r = actions::receive(e, "Ann Lee", "Bob Stone", "");
    w.at("2026-11-22T09:30:00Z");
    e.tc = w.tc;
    actions::ReferralResult l = actions::update_referral(e, r.referral.id, status("lost"));
    EXPECT_EQ(w.repo.get_followup(r.steps[0].id).status, Status::done);
    ASSERT_EQ(l.touches.size(), 1u);
    EXPECT_EQ(l.touches[0].contact_id, r.created[1].id);
    EXPECT_EQ(l.touches[0].direction, Direction::out);
    ASSERT_EQ(l.steps.size(), 1u);
    EXPECT_EQ(l.steps[0].title, "Tell Ann Lee that it did not work out with Bob Stone");
    EXPECT_EQ(l.steps[0].due, t("2026-11-23T09:30:00Z"));
    EXPECT_EQ(w.repo.get_referral(r.referral.id).status, "lost");
    EXPECT_FALSE(w.repo.get_referral(r.referral.id).amount.has_value());
}

TEST(ActionsReferrals, PassingALeadOnGivesItToAnotherMember) {
    World w;
    auto e = w.env();
    actions::ReferralResult r = actions::receive(e, "Ann Lee", "Bob Stone", "");
    w.at("2026-11-20T18:00:00Z");
    e.tc = w.tc;
    actions::ReferralResult p = actions::update_referral(
        e, r.referral.id, status("passed", {}, "Eve does roofs", "Eve Gray"));
    EXPECT_EQ(p.referral.status, "passed");
    Followup s = w.repo.get_followup(r.steps[0].id);
    EXPECT_EQ(s.status, Status::skipped);
    EXPECT_EQ(s.note, "referral passed");
    EXPECT_TRUE(p.touches.empty());
    ASSERT_EQ(p.created.size(), 1u);
    EXPECT_EQ(p.created[0].name, "Eve Gray");
    ASSERT_TRUE(p.passed_on.has_value());
    EXPECT_EQ(p.passed_on->direction, "given");
    EXPECT_EQ(p.passed_on->member_id, p.created[0].id);
    EXPECT_EQ(p.passed_on->prospect_id, r.created[1].id);
    EXPECT_EQ(p.passed_on->status, "new");
    EXPECT_EQ(p.passed_on->note, "Eve does roofs");
    EXPECT_EQ(p.passed_on->passed_from, r.referral.id);
    ASSERT_EQ(p.steps.size(), 2u);
    EXPECT_EQ(p.steps[0].kind, Kind::report);
    EXPECT_EQ(p.steps[0].title, "Tell Ann Lee politely that you passed Bob Stone on");
    EXPECT_EQ(p.steps[0].due, t("2026-11-21T18:00:00Z"));
    EXPECT_EQ(p.steps[1].kind, Kind::checkin);
    EXPECT_EQ(p.steps[1].contact_id, p.created[0].id);
    EXPECT_EQ(p.steps[1].title, "Ask Eve Gray whether they reached Bob Stone");
    EXPECT_EQ(p.steps[1].due, t("2026-11-27T18:00:00Z"));
    EXPECT_EQ(p.steps[1].referral_id, p.passed_on->id);
    EXPECT_EQ(w.count("SELECT count(*) FROM referrals"), 2);
    EXPECT_EQ(w.count("SELECT count(*) FROM contacts"), 3);
}

// ------------------------------------------------------------------------ update, given

TEST(ActionsReferrals, AGivenLeadsReportsAnswerTheCheckinsUntilWon) {
    World w;
    auto e = w.env();
    actions::ReferralResult g = actions::give(e, "Cara Diaz", "Dan Fox", "");
    const Id id = g.referral.id, cara = g.created[0].id;
    const Id first = g.steps[0].id;

    w.at("2026-11-24T12:00:00Z");
    e.tc = w.tc;
    actions::ReferralResult c = actions::update_referral(e, id, status("contacted"));
    ASSERT_EQ(c.closed.size(), 1u);
    EXPECT_EQ(c.closed[0].id, first);
    EXPECT_EQ(w.repo.get_followup(first).status, Status::done);
    EXPECT_EQ(w.repo.get_followup(first).done_at, t("2026-11-24T12:00:00Z"));
    ASSERT_EQ(c.touches.size(), 1u);
    EXPECT_EQ(c.touches[0].contact_id, cara); // the member's word: an incoming touch
    EXPECT_EQ(c.touches[0].direction, Direction::in);
    EXPECT_EQ(c.touches[0].note, "Referral of Dan Fox: contacted");
    EXPECT_EQ(c.touches[0].followup_id, first);
    ASSERT_EQ(c.steps.size(), 1u);
    const Id second = c.steps[0].id;
    EXPECT_EQ(c.steps[0].kind, Kind::checkin);
    EXPECT_EQ(c.steps[0].contact_id, cara);
    EXPECT_EQ(c.steps[0].title, "Ask Cara Diaz how it goes with Dan Fox (contacted so far)");
    EXPECT_EQ(c.steps[0].due, t("2026-12-01T12:00:00Z"));

    w.at("2026-11-30T12:00:00Z");
    e.tc = w.tc;
    actions::ReferralResult won = actions::update_referral(e, id, status("won", 2500.0, "Signed"));
    EXPECT_EQ(won.referral.status, "won");
    EXPECT_EQ(won.referral.amount, 2500.0);
    EXPECT_EQ(won.referral.note, "Signed");
    ASSERT_EQ(won.closed.size(), 1u);
    EXPECT_EQ(won.closed[0].id, second);
    EXPECT_EQ(w.repo.get_followup(second).status, Status::done);
    ASSERT_EQ(won.touches.size(), 1u);
    EXPECT_EQ(won.touches[0].direction, Direction::in);
    EXPECT_EQ(won.touches[0].note, "Signed");
    EXPECT_TRUE(won.steps.empty()); // no check-in after the outcome, no thank-you for a gift
    EXPECT_EQ(w.count("SELECT count(*) FROM followups WHERE status = 'open'"), 0);
    EXPECT_EQ(w.count("SELECT count(*) FROM interactions WHERE direction = 'in'"), 2);
    EXPECT_EQ(w.repo.get_contact(cara).last_touch, t("2026-11-30T12:00:00Z"));
}

TEST(ActionsReferrals, UpdateChecksItsInputAndWritesNothing) {
    World w;
    auto e = w.env();
    actions::ReferralResult r = actions::receive(e, "Ann Lee", "Bob Stone", "");
    actions::ReferralResult g = actions::give(e, "Cara Diaz", "Dan Fox", "");
    const std::string before = w.snapshot();
    auto usage = [&](Id id, const actions::ReferralUpdate& u) {
        return throws_exactly<UsageError>([&] { actions::update_referral(e, id, u); });
    };
    const Id id = r.referral.id;
    EXPECT_TRUE(usage(id, status("maybe")));
    EXPECT_TRUE(usage(id, status("met", 100.0)));
    EXPECT_TRUE(usage(id, status("won", -1.0)));
    EXPECT_TRUE(usage(id, status("declined", {}, "", "Eve Gray")));
    EXPECT_TRUE(usage(g.referral.id, status("passed", {}, "", "Eve Gray"))); // one I gave
    // Refused after the status was applied: everything rolls back, Bob's step stays open.
    EXPECT_TRUE(usage(id, status("passed", {}, "", "Bob Stone")));
    EXPECT_TRUE(throws_exactly<NotFound>([&] { actions::update_referral(e, 99, status("won")); }));
    EXPECT_EQ(w.snapshot(), before);
    EXPECT_EQ(w.repo.get_followup(r.steps[0].id).status, Status::open);
    EXPECT_EQ(open_of_kind(w, "referral"), 1);
}

TEST(ActionsReferrals, TakeInChapterOnAFileDoesNothing) {
    World w;
    auto e = w.env();
    actions::receive(e, "Ann Lee", "Bob Stone", "");
    const std::string before = w.snapshot();
    actions::TakenIn in = actions::take_in_chapter(e);
    EXPECT_TRUE(in.received.empty());
    EXPECT_TRUE(in.reports.empty());
    EXPECT_EQ(w.snapshot(), before);
}

// ------------------------------------------------------------------------------------ undo

TEST(ActionsReferrals, UndoRevertsEachWriteOneStepEach) {
    World w;
    w.add("Ann Lee");
    UndoSteps steps(w);
    auto step = [&](const std::string& command, auto&& write) { steps.step(command, write); };
    Id received = 0, given = 0;
    step("referral receive", [&](actions::Env& e) {
        received = actions::receive(e, "Ann Lee", "Bob Stone", "").referral.id;
    });
    step("referral give", [&](actions::Env& e) {
        given = actions::give(e, "Cara Diaz", "Dan Fox", "").referral.id;
    });
    w.at("2026-11-21T10:00:00Z");
    step("referral update contacted",
         [&](actions::Env& e) { actions::update_referral(e, received, status("contacted")); });
    step("referral update met",
         [&](actions::Env& e) { actions::update_referral(e, given, status("met")); });
    step("referral update won",
         [&](actions::Env& e) { actions::update_referral(e, received, status("won", 900.0)); });
    steps.undo_all();
    EXPECT_EQ(w.count("SELECT count(*) FROM contacts"), 1);
    EXPECT_EQ(w.count("SELECT count(*) FROM referrals"), 0);
}
