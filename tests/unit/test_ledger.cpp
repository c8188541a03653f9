// The ledger (domain/referrals.hpp, issue 33): closed is business you closed from referrals you
// received, given is business others closed from referrals you gave; never one in the other.

#include <followup/domain/referrals.hpp>
#include <gtest/gtest.h>

using followup::Ledger;
using followup::Referral;
using followup::tally;

namespace {

Referral referral(const char* direction, const char* status, std::optional<double> amount = {}) {
    Referral r;
    r.direction = direction;
    r.status = status;
    r.amount = amount;
    return r;
}

} // namespace

TEST(Ledger, ClosedAndGivenAreKeptApart) {
    const Ledger l = tally({
        referral("received", "won", 4200),
        referral("received", "lost"),
        referral("received", "met", 999), // an amount on a referral not won counts nothing
        referral("given", "won", 6000),
        referral("given", "won", 1500),
        referral("given", "won"), // won without an amount
        referral("given", "passed"),
    });
    EXPECT_EQ(l.received, 3);
    EXPECT_EQ(l.given_count, 4);
    EXPECT_EQ(l.won, 1);
    EXPECT_EQ(l.given_won, 3);
    EXPECT_EQ(l.closed, 4200.0);
    EXPECT_EQ(l.given, 7500.0);
}

TEST(Ledger, EmptyAndOneByOne) {
    EXPECT_EQ(tally({}).closed, 0.0);
    Ledger l;
    l.add(referral("received", "won", 10));
    l.add(referral("received", "won", 5));
    EXPECT_EQ(l.won, 2);
    EXPECT_EQ(l.closed, 15.0);
    EXPECT_EQ(l.given, 0.0);
}
