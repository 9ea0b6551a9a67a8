#include "pc/collect/collection_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

#include "fault_file_system.hpp"
#include "log_capture.hpp"
#include "pc/core/error.hpp"
#include "pc/io/posix_file_system.hpp"
#include "pc/record/codec.hpp"
#include "test_support.hpp"

using pc::collect::CollectionFile;
using pc::test::Fault;
using pc::test::FaultFileSystem;
using pc::test::FsOp;

namespace {

pc::record::Tick make_tick(std::int64_t ts) {
    return {{ts, "/proc/stat", "cpu 1 2 3\n"}, {ts, "statfs[*]", "{\"mount_point\":\"/\"}\n"}};
}

std::string expected(const pc::record::Tick& tick) {
    std::string s;
    for (const auto& r : tick) s += pc::record::encode_record(r);
    return s;
}

}  // namespace

TEST(CollectionFile, CreatesWithMode0600AndAppends) {
    pc::test::TempDir dir;
    auto path = dir / "c.json";
    pc::test::write_file(path, "old\n");  // existing content is kept: append only
    {
        CollectionFile file(path);
        file.write(make_tick(1));
        EXPECT_EQ(file.finish(std::chrono::milliseconds(0)), 0u);
    }
    {
        CollectionFile file(path);
        file.write(make_tick(2));
    }
    EXPECT_EQ(pc::test::read_file(path), "old\n" + expected(make_tick(1)) + expected(make_tick(2)));

    auto fresh = dir / "new.json";
    { CollectionFile file(fresh); }
    struct stat st {};
    ASSERT_EQ(::stat(fresh.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(CollectionFile, OneWriteCallPerTick) {
    pc::test::TempDir dir;
    auto files = std::make_shared<FaultFileSystem>();
    CollectionFile file(dir / "c.json", "PCC_COLLECTION", files);
    file.write(make_tick(1));
    file.write(make_tick(2));
    file.write({});  // nothing sampled: nothing written
    EXPECT_EQ(files->calls(FsOp::write, "c.json"), 2u);
    EXPECT_EQ(pc::test::read_file(dir / "c.json"), expected(make_tick(1)) + expected(make_tick(2)));
}

TEST(CollectionFile, DiskFullCutsThePartialTickOffAndContinues) {
    pc::test::TempDir dir;
    auto files = std::make_shared<FaultFileSystem>();
    CollectionFile file(dir / "c.json", "PCC_COLLECTION", files);
    file.write(make_tick(1));
    // Tick 2: half of it reaches the disk, then the disk is full.
    const auto fault = files->add(Fault{FsOp::write, "c.json", ENOSPC, 0, 1,
                                        expected(make_tick(2)).size() / 2, false, false});
    file.write(make_tick(2));
    EXPECT_EQ(files->fired(fault), 1);
    file.write(make_tick(3));
    EXPECT_EQ(file.lost_ticks(), 1u);
    EXPECT_EQ(file.finish(std::chrono::milliseconds(0)), 1u);
    EXPECT_EQ(file.report().delivered, 2u);
    EXPECT_EQ(pc::test::read_file(dir / "c.json"), expected(make_tick(1)) + expected(make_tick(3)));
}

TEST(CollectionFile, AnIoErrorWithNothingWrittenLosesOnlyThatTick) {
    pc::test::TempDir dir;
    auto files = std::make_shared<FaultFileSystem>();
    CollectionFile file(dir / "c.json", "PCC_COLLECTION", files);
    files->add(Fault{FsOp::write, "c.json", EIO, 1, 1, 0, false, false});  // the 2nd write fails
    pc::test::LogCapture log;
    for (int ts = 1; ts <= 3; ++ts) file.write(make_tick(ts));
    EXPECT_EQ(file.lost_ticks(), 1u);
    EXPECT_NE(log.text().find("tick at 2 lost: Input/output error"), std::string::npos)
        << log.text();
    EXPECT_EQ(pc::test::read_file(dir / "c.json"), expected(make_tick(1)) + expected(make_tick(3)));
}

// A partial tick that cannot be cut off again is reported as such, not as a clean loss.
TEST(CollectionFile, APartialTickThatCannotBeCutIsReported) {
    pc::test::TempDir dir;
    auto files = std::make_shared<FaultFileSystem>();
    CollectionFile file(dir / "c.json", "PCC_COLLECTION", files);
    files->add(Fault{FsOp::write, "c.json", ENOSPC, 0, 1, 5, false, false});
    files->add(Fault{FsOp::truncate, "c.json", EIO, 0, 1, 0, false, false});
    pc::test::LogCapture log;
    file.write(make_tick(1));
    EXPECT_EQ(file.lost_ticks(), 1u);
    EXPECT_NE(log.text().find("partly written and could not be cut off again"), std::string::npos)
        << log.text();
}

// fsync at the end fails (a write-back error): logged, the count of lost ticks unchanged.
TEST(CollectionFile, AFailedFinalSyncIsLogged) {
    pc::test::TempDir dir;
    auto files = std::make_shared<FaultFileSystem>();
    CollectionFile file(dir / "c.json", "PCC_COLLECTION", files);
    file.write(make_tick(1));
    files->add(Fault{FsOp::sync, "c.json", EIO, 0, 1, 0, false, false});
    pc::test::LogCapture log;
    EXPECT_EQ(file.finish(std::chrono::milliseconds(0)), 0u);
    EXPECT_NE(log.text().find("fsync failed"), std::string::npos) << log.text();
}

// An I/O error reading the end of an existing file at startup is a clear error before any
// sampling, and the file is left as it was.
TEST(CollectionFile, AnUnreadableTailAtStartIsAClearError) {
    pc::test::TempDir dir;
    auto path = dir / "c.json";
    pc::test::write_file(path, expected(make_tick(1)) + "{\"torn");
    auto files = std::make_shared<FaultFileSystem>();
    files->add(Fault{FsOp::read, "c.json", EIO, 0, 1, 0, false, false});
    try {
        CollectionFile file(path, "PCC_COLLECTION", files);
        FAIL() << "opened";
    } catch (const pc::core::UserError& e) {
        const std::string msg = e.what();
        EXPECT_EQ(msg.rfind("PCC_COLLECTION: cannot check the end of", 0), 0u) << msg;
        EXPECT_NE(msg.find("move the file away"), std::string::npos) << msg;
    }
    EXPECT_EQ(pc::test::read_file(path), expected(make_tick(1)) + "{\"torn");
}

// The file is opened for appending: a file cut by another program (logrotate's copytruncate)
// is written from its new end, not at the old offset with a hole before it.
TEST(CollectionFile, AFileCutByAnotherProgramIsAppendedAtItsNewEnd) {
    pc::test::TempDir dir;
    auto path = dir / "c.json";
    CollectionFile file(path);
    file.write(make_tick(1));
    std::filesystem::resize_file(path, 0);
    file.write(make_tick(2));
    EXPECT_EQ(pc::test::read_file(path), expected(make_tick(2)));
}

TEST(CollectionFile, MissingDirectoryIsAClearError) {
    pc::test::TempDir dir;
    try {
        CollectionFile file(dir / "nope" / "c.json");
        FAIL();
    } catch (const pc::core::UserError& e) {
        std::string msg = e.what();
        EXPECT_EQ(msg.rfind("PCC_COLLECTION:", 0), 0u) << msg;
        EXPECT_NE(msg.find("does not exist"), std::string::npos);
    }
}

TEST(CollectionFile, UnwritableFileIsAClearError) {
    pc::test::TempDir dir;
    // A directory where the file should be fails for root too.
    std::filesystem::create_directory(dir / "c.json");
    try {
        CollectionFile file(dir / "c.json");
        FAIL();
    } catch (const pc::core::UserError& e) {
        std::string msg = e.what();
        EXPECT_EQ(msg.rfind("PCC_COLLECTION:", 0), 0u) << msg;
        EXPECT_NE(msg.find("cannot open"), std::string::npos);
    }
}

// A run killed mid-write leaves a line without its newline; the next run must not append after
// it (that would leave a malformed line in the middle of the file).
TEST(CollectionFile, TornLastLineOfAnEarlierRunIsCutOffBeforeAppending) {
    pc::test::TempDir dir;
    auto path = dir / "c.json";
    const std::string complete = expected(make_tick(1));
    const std::string torn = expected(make_tick(2)).substr(0, 25);
    pc::test::write_file(path, complete + torn);
    {
        CollectionFile file(path);
        file.write(make_tick(3));
    }
    EXPECT_EQ(pc::test::read_file(path), complete + expected(make_tick(3)));
}

TEST(CollectionFile, CompleteFileIsLeftAsItIs) {
    pc::test::TempDir dir;
    auto path = dir / "c.json";
    const std::string complete = expected(make_tick(1));
    pc::test::write_file(path, complete);
    { CollectionFile file(path); }
    EXPECT_EQ(pc::test::read_file(path), complete);
}

TEST(CutTornLastLine, KeepsEverythingUpToTheLastNewline) {
    pc::test::TempDir dir;
    auto path = dir / "f";
    struct Case {
        std::string content;
        std::string kept;
    };
    // The long cases put the last newline in an earlier 4,096-byte block than the end.
    const std::string long_line(10000, 'x');
    for (const Case& c : std::vector<Case>{{"", ""},
                                           {"a\n", "a\n"},
                                           {"no newline at all", ""},
                                           {"a\nb\npartial", "a\nb\n"},
                                           {"a\n" + long_line, "a\n"},
                                           {long_line + "\n" + long_line, long_line + "\n"},
                                           {long_line, ""}}) {
        pc::test::write_file(path, c.content);
        auto file = pc::io::default_file_system()->open(path, pc::io::OpenMode::read_write);
        EXPECT_EQ(pc::collect::cut_torn_last_line(*file), c.content.size() - c.kept.size());
        EXPECT_EQ(pc::test::read_file(path), c.kept) << c.content.size();
    }
}

TEST(CutTornLastLine, UnreadableDescriptorIsAnError) {
    pc::test::TempDir dir;
    auto path = dir / "f";
    pc::test::write_file(path, "a\npartial");
    auto file = pc::io::default_file_system()->open(path, pc::io::OpenMode::append_only);
    EXPECT_THROW(pc::collect::cut_torn_last_line(*file), std::system_error);
    EXPECT_EQ(pc::test::read_file(path), "a\npartial");
}

// Issue 17: an unprivileged pcc in a read-only directory once reported ENOENT (the fallback
// open of an existing file) instead of the EACCES that refused to create it.
TEST(CollectionFile, ReadOnlyDirectoryReportsPermissionDenied) {
    pc::test::TempDir dir;
    const auto ro = dir / "ro";
    std::filesystem::create_directories(ro);
    ::chmod(ro.c_str(), 0555);
    ::chmod(dir.path().c_str(), 0755);
    // Root ignores directory permissions: the check runs in a child that drops to nobody.
    EXPECT_EXIT(
        {
            if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) std::_Exit(3);
            try {
                CollectionFile file(ro / "c.json");
            } catch (const pc::core::UserError& e) {
                const std::string msg = e.what();
                std::fprintf(stderr, "%s\n", msg.c_str());
                std::_Exit(msg.find("Permission denied") != std::string::npos ? 0 : 4);
            }
            std::_Exit(5);
        },
        ::testing::ExitedWithCode(0), "cannot open .*c.json for appending: Permission denied");
    ::chmod(ro.c_str(), 0755);
}
