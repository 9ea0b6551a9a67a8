#include "pc/collect/rotating_collection.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <set>
#include <string>

#include "fault_file_system.hpp"
#include "log_capture.hpp"
#include "pc/core/error.hpp"
#include "pc/io/posix_file_system.hpp"
#include "pc/record/codec.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using pc::collect::RotateEvery;
using pc::collect::RotateOptions;
using pc::collect::RotatingCollection;

namespace {

constexpr std::int64_t kDay1 = 1764892800;  // 2025-12-05T00:00:00Z

pc::record::Tick make_tick(std::int64_t ts, bool cpuinfo) {
    pc::record::Tick tick;
    if (cpuinfo) tick.push_back({ts, "/proc/cpuinfo", "processor\t: 0\n"});
    tick.push_back({ts, "/proc/stat", "cpu 1 2 3\n"});
    return tick;
}

std::set<std::string> names_in(const fs::path& dir) {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename());
    return names;
}

// Each line's subsystem, in order.
std::vector<std::string> subsystems_of(const fs::path& file) {
    std::vector<std::string> out;
    const auto text = pc::test::read_file(file);
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto end = text.find('\n', pos);
        auto decoded = pc::record::decode_record(text.substr(pos, end - pos + 1));
        EXPECT_TRUE(decoded.record) << decoded.error;
        if (decoded.record) out.push_back(decoded.record->subsystem);
        pos = end + 1;
    }
    return out;
}

}  // namespace

TEST(RotatedName, CarriesTheDateOfTheFirstTickInUtc) {
    const fs::path c = "/var/lib/pcc/pcc.json";
    EXPECT_EQ(pc::collect::rotated_name(c, kDay1 + 3600 * 23 + 75, RotateEvery::day),
              "/var/lib/pcc/pcc-2025-12-05.json");
    EXPECT_EQ(pc::collect::rotated_name(c, kDay1 + 3600 * 23 + 75, RotateEvery::hour),
              "/var/lib/pcc/pcc-2025-12-05T23.json");
    EXPECT_EQ(pc::collect::rotated_name(c, kDay1 + 3600 * 23 + 75, RotateEvery::size),
              "/var/lib/pcc/pcc-2025-12-05T230115.json");
}

TEST(RotatingCollection, DailyFilesEachAValidCollectionWithCpuinfo) {
    pc::test::TempDir dir;
    const auto path = dir / "pcc.json";
    {
        RotatingCollection sink(path, RotateOptions{RotateEvery::day, 0, 0});
        sink.write(make_tick(kDay1 + 86400 - 20, true));  // 5 Dec 23:59:40
        sink.write(make_tick(kDay1 + 86400 - 10, false));
        sink.write(make_tick(kDay1 + 86400, false));  // 6 Dec 00:00:00: a new file
        sink.write(make_tick(kDay1 + 86400 + 10, false));
        EXPECT_EQ(sink.finish(std::chrono::milliseconds(0)), 0u);
        EXPECT_EQ(sink.rotations(), 1u);
        EXPECT_EQ(sink.report().delivered, 4u);
    }
    EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{"pcc.json", "pcc-2025-12-05.json"}));
    EXPECT_EQ(subsystems_of(dir / "pcc-2025-12-05.json"),
              (std::vector<std::string>{"/proc/cpuinfo", "/proc/stat", "/proc/stat"}));
    // The new file starts with /proc/cpuinfo again, at its first tick's timestamp.
    EXPECT_EQ(subsystems_of(path),
              (std::vector<std::string>{"/proc/cpuinfo", "/proc/stat", "/proc/stat"}));
    EXPECT_EQ(pc::collect::first_timestamp(path, *pc::io::default_file_system()), kDay1 + 86400);
}

TEST(RotatingCollection, AFileLeftByAnEarlierDayIsRotatedByTheNextRun) {
    pc::test::TempDir dir;
    const auto path = dir / "pcc.json";
    {
        RotatingCollection first(path, RotateOptions{RotateEvery::day, 0, 0});
        first.write(make_tick(kDay1 + 100, true));
        first.finish(std::chrono::milliseconds(0));
    }
    {
        // Same day: appended.
        RotatingCollection again(path, RotateOptions{RotateEvery::day, 0, 0});
        again.write(make_tick(kDay1 + 200, true));
        again.finish(std::chrono::milliseconds(0));
        EXPECT_EQ(again.rotations(), 0u);
    }
    RotatingCollection next_day(path, RotateOptions{RotateEvery::day, 0, 0});
    next_day.write(make_tick(kDay1 + 86400 + 5, true));
    next_day.finish(std::chrono::milliseconds(0));
    EXPECT_EQ(next_day.rotations(), 1u);
    EXPECT_EQ(subsystems_of(dir / "pcc-2025-12-05.json").size(), 4u);
    EXPECT_EQ(subsystems_of(path).size(), 2u);
}

TEST(RotatingCollection, HourlyAndBySizeKeepOnlyTheNewestFiles) {
    pc::test::TempDir dir;
    const auto path = dir / "pcc.json";
    RotatingCollection hourly(path, RotateOptions{RotateEvery::hour, 0, 2});
    for (int h = 0; h < 5; ++h) hourly.write(make_tick(kDay1 + h * 3600, h == 0));
    hourly.finish(std::chrono::milliseconds(0));
    EXPECT_EQ(hourly.rotations(), 4u);
    EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{"pcc.json", "pcc-2025-12-05T02.json",
                                                           "pcc-2025-12-05T03.json"}));
    for (const auto& name : names_in(dir.path()))
        EXPECT_EQ(subsystems_of(dir / name).front(), "/proc/cpuinfo") << name;

    pc::test::TempDir sized;
    const auto small = sized / "m.json";
    // Exactly the size of a file's first two ticks: every file holds two.
    std::uint64_t two_ticks = 0;
    for (const auto& tick : {make_tick(kDay1, true), make_tick(kDay1 + 1, false)})
        for (const auto& r : tick) two_ticks += pc::record::encode_record(r).size();
    RotatingCollection by_size(small, RotateOptions{RotateEvery::size, two_ticks, 0});
    for (int i = 0; i < 6; ++i) by_size.write(make_tick(kDay1 + i, i == 0));
    by_size.finish(std::chrono::milliseconds(0));
    EXPECT_EQ(by_size.rotations(), 2u);
    EXPECT_TRUE(fs::exists(sized / "m-2025-12-05T000000.json"));
    EXPECT_TRUE(fs::exists(sized / "m-2025-12-05T000002.json"));
    EXPECT_EQ(by_size.report().delivered, 6u);
}

TEST(RotatingCollection, OtherFilesInTheDirectoryAreNeverRemoved) {
    pc::test::TempDir dir;
    pc::test::write_file(dir / "pcc-notes.json", "mine\n");
    pc::test::write_file(dir / "other-2020-01-01.json", "theirs\n");
    RotatingCollection sink(dir / "pcc.json", RotateOptions{RotateEvery::hour, 0, 1});
    for (int h = 0; h < 3; ++h) sink.write(make_tick(kDay1 + h * 3600, h == 0));
    sink.finish(std::chrono::milliseconds(0));
    EXPECT_EQ(names_in(dir.path()),
              (std::set<std::string>{"pcc.json", "pcc-2025-12-05T01.json", "pcc-notes.json",
                                     "other-2020-01-01.json"}));
}

// A rotation whose rename fails (EIO, a read-only remount) loses nothing: the tick goes to the
// current file, and the next period's tick rotates it.
TEST(RotatingCollection, AFailedRenameKeepsAppendingToTheCurrentFile) {
    pc::test::TempDir dir;
    const auto path = dir / "pcc.json";
    auto files = std::make_shared<pc::test::FaultFileSystem>();
    RotatingCollection sink(path, RotateOptions{RotateEvery::day, 0, 0}, "PCC_COLLECTION", files);
    sink.write(make_tick(kDay1 + 10, true));
    files->add(pc::test::Fault{pc::test::FsOp::rename, "pcc.json", EIO, 0, 1, 0, false, false});
    pc::test::LogCapture log;
    sink.write(make_tick(kDay1 + 86400, false));  // rotation due, rename fails
    EXPECT_EQ(sink.rotations(), 0u);
    EXPECT_NE(log.text().find("cannot rotate to"), std::string::npos) << log.text();
    EXPECT_EQ(subsystems_of(path),
              (std::vector<std::string>{"/proc/cpuinfo", "/proc/stat", "/proc/stat"}));
    sink.write(make_tick(kDay1 + 86400 + 10, false));  // still due: this time it works
    EXPECT_EQ(sink.rotations(), 1u);
    EXPECT_EQ(sink.report().delivered, 3u);
    EXPECT_EQ(sink.report().failed, 0u);
    EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{"pcc.json", "pcc-2025-12-05.json"}));
}

// Old files that cannot be removed are logged; the collection goes on.
TEST(RotatingCollection, AnOldFileThatCannotBeRemovedIsLogged) {
    pc::test::TempDir dir;
    const auto path = dir / "pcc.json";
    pc::test::write_file(dir / "pcc-2025-12-01.json", "");
    pc::test::write_file(dir / "pcc-2025-12-02.json", "");
    auto files = std::make_shared<pc::test::FaultFileSystem>();
    RotatingCollection sink(path, RotateOptions{RotateEvery::day, 0, 1}, "PCC_COLLECTION", files);
    files->add(
        pc::test::Fault{pc::test::FsOp::remove, "pcc-2025-12-01", EACCES, 0, 1, 0, false, false});
    pc::test::LogCapture log;
    sink.write(make_tick(kDay1 + 10, true));
    sink.write(make_tick(kDay1 + 86400, false));
    EXPECT_EQ(sink.rotations(), 1u);
    EXPECT_NE(log.text().find("cannot remove"), std::string::npos) << log.text();
    // The one that could be removed is gone; the newest rotated file is kept.
    EXPECT_EQ(names_in(dir.path()),
              (std::set<std::string>{"pcc.json", "pcc-2025-12-01.json", "pcc-2025-12-05.json"}));
    EXPECT_EQ(sink.report().delivered, 2u);
}
