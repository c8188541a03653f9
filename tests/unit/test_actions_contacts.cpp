#include "actions_world.hpp"
// The use cases on contacts (edit, archive and restore, rm, merge, event add, the selection of
// contacts, resolve-or-create) against a :memory: database: fields, rows, recurring steps,
// errors, and that a failed call writes nothing.

#include <algorithm>
#include <followup/actions/actions.hpp>
#include <followup/util/errors.hpp>
#include <gtest/gtest.h>

using namespace followup;

namespace {

/// Adds a contact as `add` does, met at `met` (default now).
Contact add_contact(World& w, Contact c, const std::string& plan = "none",
                    std::optional<Instant> met = {}, const std::string& referred_by = "",
                    const std::string& event = "", bool allow_new = false) {
    actions::NewContact in;
    in.allow_new = allow_new;
    in.contact = std::move(c);
    in.met = When{met.value_or(w.tc.now), std::nullopt};
    in.plan = plan;
    in.referred_by = referred_by;
    in.event = event;
    auto e = w.env();
    return actions::add_contact(e, in).contact;
}

Contact named(const std::string& name) {
    Contact c;
    c.name = name;
    return c;
}

/// The contact's open follow-up of `kind` (it must have exactly one).
Followup open_of(World& w, Id contact, Kind kind) {
    std::vector<Followup> out;
    for (auto& f : w.repo.followups_of(contact))
        if (f.kind == kind && f.status == Status::open) out.push_back(f);
    EXPECT_EQ(out.size(), 1u) << to_string(kind);
    return out.empty() ? Followup{} : out.front();
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

std::vector<Id> ids(const std::vector<Contact>& cs) {
    std::vector<Id> out;
    for (const auto& c : cs)
        out.push_back(c.id);
    return out;
}

} // namespace

// ------------------------------------------------------------------------------------ edit

TEST(ActionsContacts, EditChangesTheFieldsAndKeepsThePlanTitlesInLine) {
    World w;
    Contact ann = add_contact(w, named("Ann Lee"), "24/7/30");
    ASSERT_EQ(open_of(w, ann.id, Kind::note).title, "Send a note to Ann Lee");
    auto e = w.env();
    actions::ContactEdit edit;
    edit.name = "  Ann Smith ";
    edit.company = " Acme ";
    edit.title = "CTO";
    edit.notes = "Likes golf";
    edit.emails = {{"ann@acme.example", "work"}};
    edit.profiles = {{"x", "@annsmith"}};
    std::vector<Contact> out = actions::edit_contacts(e, {ann}, edit);
    ASSERT_EQ(out.size(), 1u);
    Contact c = w.repo.get_contact(ann.id);
    EXPECT_EQ(c.name, "Ann Smith");
    EXPECT_EQ(c.company, "Acme");
    EXPECT_EQ(c.title, "CTO");
    EXPECT_EQ(c.notes, "Likes golf");
    EXPECT_EQ(c.email, "ann@acme.example");
    ASSERT_EQ(c.emails.size(), 1u);
    EXPECT_EQ(c.emails[0], (Labeled{"ann@acme.example", "work"}));
    ASSERT_EQ(c.profiles.size(), 1u);
    EXPECT_EQ(c.profiles[0], (Profile{"x", "@annsmith"}));
    EXPECT_EQ(out[0].name, "Ann Smith");
    // The plan steps follow the new name, the channel the email gives and the profile's
    // network.
    EXPECT_EQ(open_of(w, ann.id, Kind::note).title, "Send a note to Ann Smith by email");
    Followup connect = open_of(w, ann.id, Kind::connect);
    EXPECT_EQ(connect.title, "Connect with Ann Smith on X");
    EXPECT_EQ(connect.channel, "x");
    EXPECT_EQ(open_of(w, ann.id, Kind::meet).title, "Arrange a one-to-one with Ann Smith");
    EXPECT_EQ(w.count("SELECT count(*) FROM undo_log"), 2);
}

TEST(ActionsContacts, EditKeepsATitleChangedByHand) {
    World w;
    Contact ann = add_contact(w, named("Ann Lee"), "24/7/30");
    Followup meet = open_of(w, ann.id, Kind::meet);
    meet.title = "Lunch with Ann at the fair";
    w.repo.update_followup(meet);
    auto e = w.env();
    actions::ContactEdit edit;
    edit.name = "Ann Smith";
    actions::edit_contacts(e, {ann}, edit);
    EXPECT_EQ(w.repo.get_followup(meet.id).title, "Lunch with Ann at the fair");
    EXPECT_EQ(open_of(w, ann.id, Kind::connect).title, "Connect with Ann Smith on LinkedIn");
}

TEST(ActionsContacts, EditViaMetEventAndReach) {
    World w;
    Contact in = named("Ann Lee");
    in.emails = {{"ann@old.example", "work"}};
    in.addresses = {{"1 Main St", ""}};
    Contact ann = add_contact(w, in, "24/7/30");
    auto e = w.env();
    actions::ContactEdit edit;
    edit.via = Via{"phone", "+1 212 555 0100"};
    edit.met = When{t("2026-11-18T23:00:00Z"), std::nullopt}; // 18:00 on the 18th in New York
    edit.event = "Chamber Mixer";
    edit.emails = {{"ann@new.example", "home"}};
    edit.remove_emails = {" ANN@old.example "};
    edit.addresses = {{"2 Oak Ave", "home"}};
    edit.remove_addresses = {"1 Main St"};
    actions::edit_contacts(e, {ann}, edit);
    Contact c = w.repo.get_contact(ann.id);
    EXPECT_EQ(c.channel, "phone");
    EXPECT_EQ(c.phone, "+1 212 555 0100");
    EXPECT_EQ(c.emails, (std::vector<Labeled>{{"ann@new.example", "home"}}));
    EXPECT_EQ(c.addresses, (std::vector<Labeled>{{"2 Oak Ave", "home"}}));
    EXPECT_EQ(c.met, t("2026-11-18T23:00:00Z"));
    EXPECT_EQ(c.event, "Chamber Mixer");
    std::optional<Event> ev = w.repo.find_event("chamber mixer");
    ASSERT_TRUE(ev.has_value());
    EXPECT_EQ(c.event_id, ev->id);
    EXPECT_EQ(ev->on, date::local_days{date::year{2026} / 11 / 18}); // the local day met
    EXPECT_EQ(open_of(w, ann.id, Kind::note).title, "Call Ann Lee to say it was good to meet");
    // An empty event takes the contact out of it; the event stays.
    actions::ContactEdit none;
    none.event = " ";
    actions::edit_contacts(e, {ann}, none);
    EXPECT_FALSE(w.repo.get_contact(ann.id).event_id.has_value());
    EXPECT_EQ(w.count("SELECT count(*) FROM events"), 1);
}

TEST(ActionsContacts, EditCadenceAndBirthdayPlaceAndRetireTheRecurringSteps) {
    World w;
    Contact ann = add_contact(w, named("Ann Lee"));
    auto e = w.env();
    actions::ContactEdit edit;
    edit.every = 30;
    edit.birthday = "12-10";
    actions::edit_contacts(e, {ann}, edit);
    EXPECT_EQ(w.repo.get_contact(ann.id).every_days, 30);
    Followup rc = open_of(w, ann.id, Kind::reconnect);
    EXPECT_EQ(rc.due, t("2026-12-20T13:00:00Z")); // 30 days after the last touch (met)
    EXPECT_EQ(rc.title, "Reconnect with Ann Lee");
    Followup card = open_of(w, ann.id, Kind::birthday);
    EXPECT_EQ(card.due, t("2026-12-06T04:59:59Z")); // end of December 5th in New York
    EXPECT_EQ(card.title, "Send Ann Lee a birthday card");

    actions::ContactEdit stop;
    stop.every.emplace(std::nullopt);
    stop.birthday = "";
    actions::edit_contacts(e, {ann}, stop);
    Contact c = w.repo.get_contact(ann.id);
    EXPECT_FALSE(c.every_days.has_value());
    EXPECT_EQ(c.birthday, "");
    EXPECT_EQ(w.repo.get_followup(rc.id).status, Status::skipped);
    EXPECT_EQ(w.repo.get_followup(rc.id).note, "no keep-in-touch cadence any more");
    EXPECT_EQ(w.repo.get_followup(card.id).status, Status::skipped);
    EXPECT_EQ(w.repo.get_followup(card.id).note, "no birthday any more");
    EXPECT_EQ(w.count("SELECT count(*) FROM followups WHERE status = 'open'"), 0);
}

// Disabled: renaming a contact leaves its open `reconnect` and `birthday` titled with the old
// name. edit_contacts retitles only the open note, connect and meet steps, and sync_recurring's
// place() rewrites the title only when the deadline moves, which a rename does not do; `due`
// then lists "Reconnect with Ann Lee" for Ann Smith until the next touch.
TEST(ActionsContacts, DISABLED_EditRetitlesTheRecurringSteps) {
    World w;
    Contact in = named("Ann Lee");
    in.every_days = 30;
    in.birthday = "12-10";
    Contact ann = add_contact(w, in);
    auto e = w.env();
    actions::ContactEdit edit;
    edit.name = "Ann Smith";
    actions::edit_contacts(e, {ann}, edit);
    EXPECT_EQ(open_of(w, ann.id, Kind::reconnect).title, "Reconnect with Ann Smith");
    EXPECT_EQ(open_of(w, ann.id, Kind::birthday).title, "Send Ann Smith a birthday card");
}

TEST(ActionsContacts, EditTagsIgnoreCase) {
    World w;
    Contact a = add_contact(w, named("Ann Lee"));
    Contact b = add_contact(w, named("Bob Chen"));
    auto e = w.env();
    actions::ContactEdit tag;
    tag.tags = {"VIP", "golf"};
    actions::edit_contacts(e, {a, b}, tag);
    actions::ContactEdit again;
    again.tags = {"vip"};
    again.untags = {"GOLF"};
    actions::edit_contacts(e, {a}, again);
    EXPECT_EQ(w.repo.get_contact(a.id).tags, std::vector<std::string>{"VIP"});
    EXPECT_EQ(sorted(w.repo.get_contact(b.id).tags), (std::vector<std::string>{"VIP", "golf"}));
    // Untagging many: a contact without the tag is no error.
    actions::ContactEdit untag;
    untag.untags = {"golf"};
    actions::edit_contacts(e, {a, b}, untag);
    EXPECT_EQ(w.repo.get_contact(b.id).tags, std::vector<std::string>{"VIP"});
}

TEST(ActionsContacts, EditChecksItsInputAndWritesNothing) {
    World w;
    Contact in = named("Ann Lee");
    in.emails = {{"ann@old.example", ""}};
    in.addresses = {{"1 Main St", ""}};
    Contact ann = add_contact(w, in, "24/7/30");
    auto e = w.env();
    const std::string before = w.snapshot();
    auto fails = [&](const actions::ContactEdit& edit) {
        return throws_exactly<UsageError>([&] { actions::edit_contacts(e, {ann}, edit); });
    };
    EXPECT_TRUE(fails({}));
    actions::ContactEdit blank;
    blank.name = "  ";
    EXPECT_TRUE(fails(blank));
    // A bad removal after good changes: none of them is written.
    actions::ContactEdit email;
    email.company = "Acme";
    email.remove_emails = {"bob@old.example"};
    EXPECT_TRUE(fails(email));
    actions::ContactEdit address;
    address.company = "Acme";
    address.remove_addresses = {"2"};
    EXPECT_TRUE(fails(address));
    actions::ContactEdit profile;
    profile.remove_profiles = {"linkedin"};
    EXPECT_TRUE(fails(profile));
    actions::ContactEdit untag;
    untag.untags = {"vip"};
    EXPECT_TRUE(fails(untag));
    actions::ContactEdit empty_tag;
    empty_tag.tags = {" "};
    EXPECT_TRUE(fails(empty_tag));
    EXPECT_EQ(w.snapshot(), before);
    EXPECT_EQ(w.repo.get_contact(ann.id).company, "");
}

// Disabled: ContactEdit documents `remove_addresses` as "its number in `show`", i.e. in the list
// the contact has before the edit, but edit_reach adds the new addresses first and numbers the
// list after that. `edit ann --address "2 Oak Ave" --remove-address 1` (replace address 1)
// removes the address just added and keeps "1 Main St": nothing changes.
TEST(ActionsContacts, DISABLED_RemoveAddressByNumberCountsTheAddressesAsShown) {
    World w;
    Contact in = named("Ann Lee");
    in.addresses = {{"1 Main St", ""}};
    Contact ann = add_contact(w, in);
    auto e = w.env();
    actions::ContactEdit edit;
    edit.addresses = {{"2 Oak Ave", ""}};
    edit.remove_addresses = {"1"};
    actions::edit_contacts(e, {ann}, edit);
    EXPECT_EQ(w.repo.get_contact(ann.id).addresses, (std::vector<Labeled>{{"2 Oak Ave", ""}}));
}

// ------------------------------------------------------------------------ archive, restore

TEST(ActionsContacts, ArchiveSkipsTheRecurringStepsAndRestoreSchedulesThemAgain) {
    World w;
    Contact in = named("Ann Lee");
    in.every_days = 30;
    in.birthday = "12-10";
    Contact ann = add_contact(w, in, "24/7/30");
    Id note = open_of(w, ann.id, Kind::note).id;
    Id rc = open_of(w, ann.id, Kind::reconnect).id;
    Id card = open_of(w, ann.id, Kind::birthday).id;
    w.at("2026-11-21T09:00:00Z");
    auto e = w.env();
    Contact a = actions::archive(e, "ann", false);
    EXPECT_TRUE(a.archived);
    EXPECT_TRUE(w.repo.get_contact(ann.id).archived);
    for (Id id : {rc, card}) {
        EXPECT_EQ(w.repo.get_followup(id).status, Status::skipped);
        EXPECT_EQ(w.repo.get_followup(id).note, "contact archived");
    }
    EXPECT_EQ(w.repo.get_followup(note).status, Status::open); // the plan's steps stay
    EXPECT_EQ(w.count("SELECT count(*) FROM interactions"), 0);
    // Archived twice: refused, nothing written.
    const std::string archived = w.snapshot();
    EXPECT_TRUE(throws_exactly<Error>([&] { actions::archive(e, "ann", false); }));
    EXPECT_EQ(w.snapshot(), archived);

    Contact r = actions::archive(e, "ann", true);
    EXPECT_FALSE(r.archived);
    EXPECT_FALSE(w.repo.get_contact(ann.id).archived);
    Followup again = open_of(w, ann.id, Kind::reconnect);
    EXPECT_NE(again.id, rc);
    EXPECT_EQ(again.due, t("2026-12-20T13:00:00Z")); // 30 days after the last touch
    EXPECT_EQ(w.count("SELECT count(*) FROM followups WHERE kind = 'birthday' AND "
                      "status = 'open'"),
              1);
    EXPECT_TRUE(throws_exactly<Error>([&] { actions::archive(e, "ann", true); }));
    EXPECT_THROW(actions::archive(e, "#99", false), NotFound);
}

// Disabled: a card skipped because the contact was archived counts as a card sent. Archiving a
// contact and bringing it back the same day (November 21st) moves its birthday card from
// December 5th 2026 (before the birthday on December 10th) to December 2027: this year's card
// is lost. The same happens after `edit --birthday none` and the birthday given again.
TEST(ActionsContacts, DISABLED_RestoreGivesBackThisYearsBirthdayCard) {
    World w;
    Contact in = named("Ann Lee");
    in.birthday = "12-10";
    Contact ann = add_contact(w, in);
    EXPECT_EQ(open_of(w, ann.id, Kind::birthday).due, t("2026-12-06T04:59:59Z"));
    w.at("2026-11-21T09:00:00Z");
    auto e = w.env();
    actions::archive(e, "ann", false);
    actions::archive(e, "ann", true);
    EXPECT_EQ(open_of(w, ann.id, Kind::birthday).due, t("2026-12-06T04:59:59Z"));
}

// --------------------------------------------------------------------------------------- rm

TEST(ActionsContacts, RemoveDeletesTheContactWithItsFootprint) {
    World w;
    Contact in = named("Ann Lee");
    in.emails = {{"ann@example.com", ""}};
    in.tags = {"vip"};
    Contact ann = add_contact(w, in, "24/7/30");
    auto e = w.env();
    actions::log(e, {ann}, {"", Direction::out, w.tc.now, "Hi", ""});
    actions::ReferralResult r = actions::receive(e, "Ann Lee", "Bob Stone", "");
    Contact bob = actions::resolve_contact(w.repo, "Bob Stone");
    ASSERT_EQ(bob.referred_by_id, ann.id);
    ASSERT_EQ(w.count("SELECT count(*) FROM followups"), 4);

    auto [gone, fp] = actions::remove_contact(e, "ann");
    EXPECT_EQ(gone.id, ann.id);
    EXPECT_EQ(gone.name, "Ann Lee");
    EXPECT_EQ(fp.followups, 3);
    EXPECT_EQ(fp.interactions, 2); // and the lead from her (issue 33)
    EXPECT_EQ(fp.referrals, 1);
    EXPECT_THROW(w.repo.get_contact(ann.id), NotFound);
    EXPECT_EQ(w.count("SELECT count(*) FROM contacts"), 1);
    EXPECT_EQ(w.count("SELECT count(*) FROM followups"), 1); // Bob's referral step
    EXPECT_EQ(w.count("SELECT count(*) FROM interactions"), 0);
    EXPECT_EQ(w.count("SELECT count(*) FROM contact_tags"), 0);
    EXPECT_EQ(w.count("SELECT count(*) FROM reach"), 0);
    // The referral keeps its row, without its referrer; Bob keeps no introducer.
    EXPECT_EQ(w.count("SELECT count(*) FROM referrals"), 1);
    EXPECT_FALSE(w.repo.get_referral(r.referral.id).referrer_id.has_value());
    EXPECT_EQ(w.repo.get_referral(r.referral.id).prospect_id, bob.id);
    EXPECT_FALSE(w.repo.get_contact(bob.id).referred_by_id.has_value());
}

TEST(ActionsContacts, RemoveRefusesAnAmbiguousOrUnknownReference) {
    World w;
    add_contact(w, named("Ann Lee"), "24/7/30");
    add_contact(w, named("Dan Lee"));
    auto e = w.env();
    const std::string before = w.snapshot();
    try {
        actions::remove_contact(e, "lee");
        ADD_FAILURE() << "no error";
    } catch (const Ambiguous& a) {
        EXPECT_EQ(a.candidates().size(), 2u);
    }
    EXPECT_THROW(actions::remove_contact(e, "#99"), NotFound);
    EXPECT_THROW(actions::remove_contact(e, "Zed"), NotFound);
    EXPECT_EQ(w.snapshot(), before);
}

// ------------------------------------------------------------------------------------ merge

TEST(ActionsContacts, MergeMovesEverythingToAAndDeletesB) {
    World w;
    Contact ia = named("Ann Lee");
    ia.emails = {{"ann@a.example", ""}};
    ia.tags = {"vip"};
    ia.notes = "Met at the fair";
    Contact a = add_contact(w, ia, "24/7/30");
    Contact ib = named("Annie Lee");
    ib.company = "Acme";
    ib.title = "CTO";
    ib.emails = {{"ann@b.example", "work"}, {"ANN@a.example", ""}};
    ib.phones = {{"+1 212 555 0100", "mobile"}};
    ib.tags = {"client", "VIP"};
    ib.notes = "Likes golf";
    ib.every_days = 30;
    // B has A's email: `add` refuses that without --new (issue 31).
    EXPECT_THROW(add_contact(w, ib, "24/7/30", t("2026-11-10T15:00:00Z")), UsageError);
    Contact b = add_contact(w, ib, "24/7/30", t("2026-11-10T15:00:00Z"), "", "", true);
    Contact dan = add_contact(w, named("Dan Fox"), "none", {}, "#" + std::to_string(b.id));
    auto e = w.env();
    actions::ReferralResult r = actions::receive(e, "Cara Diaz", "#" + std::to_string(b.id), "");
    Contact cara = actions::resolve_contact(w.repo, "Cara Diaz");
    actions::add_followups(e, {b}, Kind::promise, "Send the deck", t("2026-11-25T15:00:00Z"), "");
    w.at("2026-11-21T09:00:00Z");
    e.tc = w.tc;
    actions::log(e, {b}, {"", Direction::in, w.tc.now, "Called me", ""});
    const Id b_note = open_of(w, b.id, Kind::note).id;
    const Id b_reconnect = open_of(w, b.id, Kind::reconnect).id;
    const int followups = w.count("SELECT count(*) FROM followups");

    actions::Merged m = actions::merge_contacts(e, "#" + std::to_string(a.id), "annie");
    EXPECT_EQ(m.removed.id, b.id);
    EXPECT_EQ(m.removed.name, "Annie Lee");
    // B's note, connect, meet, reconnect, promise and referral step; its touch; its referral.
    EXPECT_EQ(m.moved.followups, 6);
    EXPECT_EQ(m.moved.interactions, 1);
    EXPECT_EQ(m.moved.referrals, 1);
    ASSERT_EQ(m.skipped.size(), 3u); // A has its own note, connect and meet
    const std::string why = "merged into #" + std::to_string(a.id) + " Ann Lee, which has its own";
    for (const auto& f : m.skipped) {
        Followup s = w.repo.get_followup(f.id);
        EXPECT_EQ(s.status, Status::skipped);
        EXPECT_EQ(s.note, why);
        EXPECT_EQ(s.done_at, t("2026-11-21T09:00:00Z"));
        EXPECT_EQ(s.contact_id, a.id);
    }
    EXPECT_EQ(w.repo.get_followup(b_note).status, Status::skipped);

    EXPECT_THROW(w.repo.get_contact(b.id), NotFound);
    EXPECT_EQ(w.count("SELECT count(*) FROM contacts"), 3); // A, Dan, Cara
    EXPECT_EQ(w.count("SELECT count(*) FROM followups"), followups);
    EXPECT_EQ(w.count("SELECT count(*) FROM followups WHERE contact_id = " + std::to_string(a.id)),
              9);
    EXPECT_EQ(
        w.count("SELECT count(*) FROM interactions WHERE contact_id = " + std::to_string(a.id)), 1);
    EXPECT_EQ(w.repo.get_referral(r.referral.id).prospect_id, a.id);
    EXPECT_EQ(w.repo.get_contact(dan.id).referred_by_id, a.id);

    Contact c = w.repo.get_contact(a.id);
    EXPECT_EQ(m.contact.id, a.id);
    EXPECT_EQ(c.name, "Ann Lee");
    EXPECT_EQ(c.company, "Acme");
    EXPECT_EQ(c.title, "CTO");
    EXPECT_EQ(c.notes, "Met at the fair\nLikes golf");
    EXPECT_EQ(c.emails, (std::vector<Labeled>{{"ann@a.example", ""}, {"ann@b.example", "work"}}));
    EXPECT_EQ(c.phones, (std::vector<Labeled>{{"+1 212 555 0100", "mobile"}}));
    EXPECT_EQ(sorted(c.tags), (std::vector<std::string>{"client", "vip"}));
    EXPECT_EQ(c.met, t("2026-11-10T15:00:00Z")); // the earlier of the two
    EXPECT_EQ(c.every_days, 30);
    EXPECT_EQ(c.referred_by_id, cara.id);
    EXPECT_EQ(c.last_touch, t("2026-11-21T09:00:00Z"));
    // B's reconnect (A had none) is A's one, 30 days after the last touch.
    Followup rc = open_of(w, a.id, Kind::reconnect);
    EXPECT_EQ(rc.id, b_reconnect);
    EXPECT_EQ(rc.due, t("2026-12-21T09:00:00Z"));
}

// Disabled: B's open reconnect, which becomes A's when A has none, keeps B's name ("Reconnect
// with Annie Lee") after the merge: sync_recurring retitles it only when its deadline moves, and
// merge_contacts does not retitle what it moved. B is deleted, yet `due` names B.
TEST(ActionsContacts, DISABLED_MergeRetitlesTheReconnectItGaveA) {
    World w;
    Contact a = add_contact(w, named("Ann Lee"));
    Contact ib = named("Annie Lee");
    ib.every_days = 30;
    Contact b = add_contact(w, ib);
    auto e = w.env();
    actions::merge_contacts(e, "#" + std::to_string(a.id), "#" + std::to_string(b.id));
    Followup rc = open_of(w, a.id, Kind::reconnect);
    EXPECT_EQ(rc.due, t("2026-12-20T13:00:00Z"));
    EXPECT_EQ(rc.title, "Reconnect with Ann Lee");
}

TEST(ActionsContacts, MergeSkipsBsRecurringStepsWhenAHasItsOwnAndDropsBAsIntroducer) {
    World w;
    Contact cara = add_contact(w, named("Cara Diaz"));
    Contact ib = named("Annie Lee");
    ib.every_days = 14;
    ib.birthday = "12-10";
    Contact b = add_contact(w, ib, "none", {}, "Cara Diaz");
    Contact ia = named("Ann Lee");
    ia.every_days = 30;
    ia.birthday = "12-10";
    Contact a = add_contact(w, ia, "none", {}, "#" + std::to_string(b.id)); // B introduced A
    const Id a_rc = open_of(w, a.id, Kind::reconnect).id;
    const Id a_card = open_of(w, a.id, Kind::birthday).id;
    const Id b_rc = open_of(w, b.id, Kind::reconnect).id;
    const Id b_card = open_of(w, b.id, Kind::birthday).id;
    auto e = w.env();
    actions::Merged m = actions::merge_contacts(e, "#" + std::to_string(a.id), "annie");
    ASSERT_EQ(m.skipped.size(), 2u);
    EXPECT_EQ(w.repo.get_followup(b_rc).status, Status::skipped);
    EXPECT_EQ(w.repo.get_followup(b_card).status, Status::skipped);
    EXPECT_EQ(open_of(w, a.id, Kind::reconnect).id, a_rc);
    EXPECT_EQ(open_of(w, a.id, Kind::reconnect).due, t("2026-12-20T13:00:00Z")); // A's cadence
    EXPECT_EQ(open_of(w, a.id, Kind::birthday).id, a_card);
    Contact c = w.repo.get_contact(a.id);
    EXPECT_EQ(c.every_days, 30);
    EXPECT_EQ(c.referred_by_id, cara.id); // not B, which is gone: B's own introducer
}

TEST(ActionsContacts, MergeRefusesOneContactTwiceOrNobodyAndWritesNothing) {
    World w;
    Contact a = add_contact(w, named("Ann Lee"), "24/7/30");
    add_contact(w, named("Bob Chen"), "24/7/30");
    auto e = w.env();
    const std::string before = w.snapshot();
    EXPECT_TRUE(throws_exactly<UsageError>(
        [&] { actions::merge_contacts(e, "#" + std::to_string(a.id), "ann"); }));
    EXPECT_THROW(actions::merge_contacts(e, "ann", "#99"), NotFound);
    EXPECT_THROW(actions::merge_contacts(e, "Zed", "bob"), NotFound);
    EXPECT_EQ(w.snapshot(), before);
}

// ------------------------------------------------------------------------------- event add

TEST(ActionsContacts, AddEventStoresItOnceByName) {
    World w;
    auto e = w.env();
    Event in;
    in.name = "  Spring Expo ";
    in.on = date::local_days{date::year{2027} / 3 / 12};
    in.place = "Hall B";
    Event ev = actions::add_event(e, in);
    EXPECT_GT(ev.id, 0);
    EXPECT_EQ(ev.name, "Spring Expo");
    std::optional<Event> found = w.repo.find_event("spring expo");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, ev.id);
    EXPECT_EQ(found->name, "Spring Expo");
    EXPECT_EQ(found->on, date::local_days{date::year{2027} / 3 / 12});
    EXPECT_EQ(found->place, "Hall B");
    EXPECT_EQ(found->created, t("2026-11-20T13:00:00Z"));

    const std::string before = w.snapshot();
    Event same;
    same.name = "SPRING EXPO";
    EXPECT_TRUE(throws_exactly<Error>([&] { actions::add_event(e, same); }));
    Event blank;
    blank.name = "  ";
    EXPECT_TRUE(throws_exactly<UsageError>([&] { actions::add_event(e, blank); }));
    EXPECT_EQ(w.snapshot(), before);
    EXPECT_EQ(w.count("SELECT count(*) FROM events"), 1);
}

// ------------------------------------------------------------------ selection of contacts

TEST(ActionsContacts, SelectTakesReferencesThenTheFilteredOnesEachOnce) {
    World w;
    Contact in = named("Ann Lee");
    in.tags = {"vip"};
    Contact ann = add_contact(w, in, "none", {}, "", "Expo");
    Contact ib = named("Bob Chen");
    ib.tags = {"VIP"};
    Contact bob = add_contact(w, ib);
    Contact cara = add_contact(w, named("Cara Diaz"));
    Contact dan = add_contact(w, named("Dan Lee"));
    Id expo = w.repo.find_event("Expo")->id;

    actions::Selection refs;
    refs.refs = {"#" + std::to_string(cara.id), "ann", std::to_string(cara.id)};
    EXPECT_EQ(ids(actions::select_contacts(w.repo, refs)), (std::vector<Id>{cara.id, ann.id}));

    actions::Selection tag;
    tag.tag = "Vip";
    EXPECT_EQ(ids(actions::select_contacts(w.repo, tag)), (std::vector<Id>{ann.id, bob.id}));

    actions::Selection both;
    both.refs = {"bob", "dan"};
    both.tag = "vip";
    EXPECT_EQ(ids(actions::select_contacts(w.repo, both)),
              (std::vector<Id>{bob.id, dan.id, ann.id}));

    actions::Selection event;
    event.event_id = expo;
    EXPECT_EQ(ids(actions::select_contacts(w.repo, event)), std::vector<Id>{ann.id});

    // Every filter must match: the tag and the event.
    actions::Selection tag_and_event;
    tag_and_event.tag = "vip";
    tag_and_event.event_id = expo;
    EXPECT_EQ(ids(actions::select_contacts(w.repo, tag_and_event)), std::vector<Id>{ann.id});

    // Stale: not touched since; the oldest touch first.
    w.at("2026-11-25T13:00:00Z");
    auto e = w.env();
    actions::log(e, {bob}, {"", Direction::out, t("2026-11-24T13:00:00Z"), "", ""});
    actions::log(e, {ann}, {"", Direction::out, t("2026-11-22T13:00:00Z"), "", ""});
    actions::Selection stale;
    stale.stale_before = t("2026-11-23T00:00:00Z");
    EXPECT_EQ(ids(actions::select_contacts(w.repo, stale)),
              (std::vector<Id>{cara.id, dan.id, ann.id}));
}

TEST(ActionsContacts, SelectRefusesNothingNobodyAndAmbiguousReferences) {
    World w;
    add_contact(w, named("Ann Lee"));
    add_contact(w, named("Dan Lee"));
    EXPECT_TRUE(throws_exactly<UsageError>([&] { actions::select_contacts(w.repo, {}); }));
    actions::Selection nobody;
    nobody.tag = "golf";
    EXPECT_TRUE(throws_exactly<NotFound>([&] { actions::select_contacts(w.repo, nobody); }));
    actions::Selection unknown;
    unknown.refs = {"ann", "#99"};
    EXPECT_TRUE(throws_exactly<NotFound>([&] { actions::select_contacts(w.repo, unknown); }));
    actions::Selection two;
    two.refs = {"lee"};
    try {
        actions::select_contacts(w.repo, two);
        ADD_FAILURE() << "no error";
    } catch (const Ambiguous& a) {
        EXPECT_EQ(a.candidates().size(), 2u);
    }
}

TEST(ActionsContacts, ResolveOrCreateMakesABareContactOnlyForAName) {
    World w;
    Contact ann = add_contact(w, named("Ann Lee"));
    add_contact(w, named("Dan Lee"));
    std::vector<Contact> created;
    EXPECT_EQ(actions::resolve_or_create(w.repo, "ann", created).id, ann.id);
    EXPECT_TRUE(created.empty());
    const std::string before = w.snapshot();
    EXPECT_THROW(actions::resolve_or_create(w.repo, "#99", created), NotFound);
    EXPECT_THROW(actions::resolve_or_create(w.repo, "99", created), NotFound);
    EXPECT_THROW(actions::resolve_or_create(w.repo, "lee", created), Ambiguous);
    EXPECT_TRUE(created.empty());
    EXPECT_EQ(w.snapshot(), before);

    Contact zoe = actions::resolve_or_create(w.repo, "  Zoe Park ", created);
    ASSERT_EQ(created.size(), 1u);
    EXPECT_EQ(created[0].id, zoe.id);
    EXPECT_EQ(zoe.name, "Zoe Park");
    Contact stored = w.repo.get_contact(zoe.id);
    EXPECT_EQ(stored.name, "Zoe Park");
    EXPECT_EQ(stored.created, t("2026-11-20T13:00:00Z"));
    EXPECT_EQ(w.count("SELECT count(*) FROM contacts"), 3);
    EXPECT_EQ(
        w.count("SELECT count(*) FROM followups WHERE contact_id = " + std::to_string(zoe.id)),
        0); // plan none
    // Asked again, the same one.
    EXPECT_EQ(actions::resolve_or_create(w.repo, "zoe park", created).id, zoe.id);
    EXPECT_EQ(created.size(), 1u);
}

// ------------------------------------------------------------------------------------ undo

TEST(ActionsContacts, UndoRevertsEachWriteOneStepEach) {
    World w;
    Contact ia = named("Ann Lee");
    ia.every_days = 30;
    ia.birthday = "12-10";
    Contact a = add_contact(w, ia, "24/7/30");
    Contact ib = named("Annie Lee");
    ib.emails = {{"ann@b.example", ""}};
    Contact b = add_contact(w, ib, "24/7/30");
    Contact cara = add_contact(w, named("Cara Diaz"), "24/7/30");
    UndoSteps steps(w);
    auto step = [&](const std::string& command, auto&& write) { steps.step(command, write); };
    step("edit", [&](actions::Env& e) {
        actions::ContactEdit edit;
        edit.name = "Ann Smith";
        edit.tags = {"vip"};
        edit.every = 14;
        actions::edit_contacts(e, {a}, edit);
    });
    step("archive", [&](actions::Env& e) { actions::archive(e, "ann smith", false); });
    step("restore", [&](actions::Env& e) { actions::archive(e, "ann smith", true); });
    step("merge", [&](actions::Env& e) {
        actions::merge_contacts(e, "#" + std::to_string(a.id), "#" + std::to_string(b.id));
    });
    step("rm", [&](actions::Env& e) { actions::remove_contact(e, "#" + std::to_string(cara.id)); });
    step("event add", [&](actions::Env& e) {
        Event ev;
        ev.name = "Expo";
        actions::add_event(e, ev);
    });
    steps.undo_all();
}
