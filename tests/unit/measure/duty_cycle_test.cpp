#include "pc/measure/duty_cycle.hpp"

#include <gtest/gtest.h>

#include "fake_clock.hpp"

namespace {

using namespace std::chrono_literals;
using pc::measure::DutyCycle;
using pc::measure::run_duty_cycle;
using pc::test::ThreadFakeClock;

TEST(DutyCycle, BusyForTheLevelsShareOfEveryPeriodThenIdle) {
    ThreadFakeClock clock;
    std::atomic<bool> stop{false};
    int calls = 0;
    auto work = [&] {
        ++calls;
        ThreadFakeClock::advance(1ms);
    };
    auto r = run_duty_cycle(clock, DutyCycle{0.3, 100ms, 1s}, work, stop);
    // 10 periods of 100 ms, 30 units of 1 ms in each.
    EXPECT_EQ(r.units, 300u);
    EXPECT_EQ(calls, 300);
    EXPECT_EQ(r.busy, 300ms);
    const auto end = clock.now();
    auto r2 = run_duty_cycle(clock, DutyCycle{0.3, 100ms, 1s}, work, stop);
    EXPECT_EQ(r2.units, 300u);
    EXPECT_EQ(clock.now() - end, 1s);  // the level lasts its length exactly
}

TEST(DutyCycle, FullLoadNeverSleepsAndCountsEveryUnit) {
    ThreadFakeClock clock;
    std::atomic<bool> stop{false};
    ThreadFakeClock::sleeps() = 0;
    auto r = run_duty_cycle(
        clock, DutyCycle{1.0, 100ms, 500ms}, [] { ThreadFakeClock::advance(2ms); }, stop);
    EXPECT_EQ(r.units, 250u);
    EXPECT_EQ(r.busy, 500ms);
    EXPECT_EQ(ThreadFakeClock::sleeps(), 0);
}

TEST(DutyCycle, AUnitStartedInTheWindowFinishesAndItsTimeIsCounted) {
    ThreadFakeClock clock;
    std::atomic<bool> stop{false};
    // 10 ms window, 3 ms units: starts at 0, 3, 6, 9 -> 4 units, 12 ms busy per period.
    auto r = run_duty_cycle(
        clock, DutyCycle{0.1, 100ms, 200ms}, [] { ThreadFakeClock::advance(3ms); }, stop);
    EXPECT_EQ(r.units, 8u);
    EXPECT_EQ(r.busy, 24ms);
}

TEST(DutyCycle, ALatePeriodDoesNotShiftTheNextOnes) {
    ThreadFakeClock clock;
    std::atomic<bool> stop{false};
    int n = 0;
    // The first unit takes 150 ms (the thread was descheduled): the rest of period 1 and all of
    // period 2's window are lost, period 3 starts on time at 200 ms.
    auto r = run_duty_cycle(
        clock, DutyCycle{0.5, 100ms, 300ms},
        [&] { ThreadFakeClock::advance(n++ == 0 ? 150ms : 10ms); }, stop);
    // Period 1: the long unit. Period 2 (100..200): its window closes at 150, the time then,
    // so no unit. Period 3 (200..300): 5 units of 10 ms.
    EXPECT_EQ(r.units, 6u);
    EXPECT_EQ(r.busy, 200ms);
}

TEST(DutyCycle, StopEndsTheLevelAtOnce) {
    ThreadFakeClock clock;
    std::atomic<bool> stop{false};
    int calls = 0;
    auto r = run_duty_cycle(
        clock, DutyCycle{1.0, 100ms, 10s},
        [&] {
            if (++calls == 7) stop = true;
            ThreadFakeClock::advance(1ms);
        },
        stop);
    EXPECT_EQ(r.units, 7u);
}

}  // namespace
