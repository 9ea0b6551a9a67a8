#include "pc/collect/cgroup_files.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "test_support.hpp"

namespace fs = std::filesystem;
using pc::collect::CgroupFiles;
using pc::collect::CgroupStats;

namespace {

fs::path tree() {
    return pc::test::source_dir() / "testdata/cgroup-v2";
}

const char* kLimited =
    "system.slice/docker-7892fa5ced3d519c03dd549df61bf62d084d6a13aa185493b05259d75ce8b13d.scope";
const char* kNoControllers =
    "user.slice/user-1000.slice/user@1000.service/user.slice/"
    "libpod-0fedcba9876543210fedcba9876543210fedcba9876543210fedcba987654321.scope";

std::uint64_t inode(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_ino;
}

// Every field, for comparing two samples.
std::string text(const std::optional<CgroupStats>& s) {
    if (!s) return "gone";
    std::string out;
    pc::collect::append_cgroup_measurement(out, "id", "name", "runtime", *s);
    return out;
}

void write(const fs::path& p, const std::string& content) {
    std::ofstream f(p, std::ios::trunc);  // in place: the kept descriptor sees it
    f << content;
}

}  // namespace

TEST(CgroupFiles, ReadsWhatReadCgroupStatsReadsAndKeepsTheFilesOpen) {
    CgroupFiles files(16);
    for (const char* rel : {kLimited, kNoControllers}) {
        const fs::path dir = tree() / rel;
        for (int tick = 0; tick < 3; ++tick) {
            EXPECT_EQ(text(files.read(dir.string(), inode(dir))),
                      text(pc::collect::read_cgroup_stats(dir)))
                << rel;
        }
    }
    EXPECT_EQ(files.cgroups_kept(), 2u);
    // Eight files of the limited container; the other has only cpu.stat.
    EXPECT_EQ(files.descriptors_open(), 9u);
}

TEST(CgroupFiles, SeesNewValuesAndClosesTheFilesOfGoneCgroups) {
    pc::test::TempDir tmp;
    fs::copy(tree() / kLimited, tmp / "c");
    fs::copy(tree() / kLimited, tmp / "d");
    const std::string c = (tmp / "c").string();
    const std::string d = (tmp / "d").string();
    CgroupFiles files(16);
    ASSERT_TRUE(files.read(c, inode(c)));
    ASSERT_TRUE(files.read(d, inode(d)));
    files.forget_others();
    EXPECT_EQ(files.descriptors_open(), 16u);

    write(tmp / "c" / "memory.current", "12345\n");
    write(tmp / "c" / "cpu.stat", "usage_usec 7\nuser_usec 5\nsystem_usec 2\n");
    auto s = files.read(c, inode(c));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->memory_current, 12345u);
    EXPECT_EQ(s->cpu_usage_usec, 7u);
    EXPECT_EQ(s->cpu_periods, 0u);  // the whole new text, nothing of the old one
    files.forget_others();          // d was not read: its files are closed
    EXPECT_EQ(files.cgroups_kept(), 1u);
    EXPECT_EQ(files.descriptors_open(), 8u);
    files.forget_others();
    EXPECT_EQ(files.cgroups_kept(), 0u);
    EXPECT_EQ(files.descriptors_open(), 0u);
}

TEST(CgroupFiles, ACgroupMadeAgainAtTheSamePathIsReadAfresh) {
    pc::test::TempDir tmp;
    fs::copy(tree() / kLimited, tmp / "c");
    const std::string c = (tmp / "c").string();
    CgroupFiles files(16);
    const std::uint64_t old_inode = inode(c);
    ASSERT_EQ(files.read(c, old_inode)->memory_current, 363417600u);
    files.forget_others();  // the end of a tick
    // Renamed away rather than removed, so the new directory cannot reuse the inode.
    fs::rename(tmp / "c", tmp / "old");
    fs::copy(tree() / kLimited, tmp / "c");
    write(tmp / "c" / "memory.current", "42\n");
    ASSERT_NE(inode(c), old_inode);
    EXPECT_EQ(files.read(c, inode(c))->memory_current, 42u);
    files.forget_others();  // the old cgroup's files are closed
    EXPECT_EQ(files.descriptors_open(), 8u);
    EXPECT_EQ(files.cgroups_kept(), 1u);
}

TEST(CgroupFiles, AnInodeNumberUsedAgainElsewhereIsAnotherCgroup) {
    pc::test::TempDir tmp;
    fs::copy(tree() / kLimited, tmp / "c");
    fs::copy(tree() / kLimited, tmp / "d");
    write(tmp / "d" / "memory.current", "42\n");
    CgroupFiles files(16);
    EXPECT_EQ(files.read((tmp / "c").string(), 7)->memory_current, 363417600u);
    EXPECT_EQ(files.read((tmp / "d").string(), 7)->memory_current, 42u);
    EXPECT_EQ(files.cgroups_kept(), 1u);
    EXPECT_EQ(files.descriptors_open(), 8u);
}

TEST(CgroupFiles, BeyondTheBoundCgroupsAreReadByPath) {
    pc::test::TempDir tmp;
    fs::copy(tree() / kLimited, tmp / "c");
    fs::copy(tree() / kLimited, tmp / "d");
    const std::string c = (tmp / "c").string();
    const std::string d = (tmp / "d").string();
    CgroupFiles files(1);
    ASSERT_TRUE(files.read(c, inode(c)));
    ASSERT_TRUE(files.read(d, inode(d)));
    EXPECT_EQ(files.cgroups_kept(), 1u);
    EXPECT_EQ(files.descriptors_open(), 8u);
    write(tmp / "d" / "pids.current", "3\n");
    EXPECT_EQ(files.read(d, inode(d))->pids_current, 3u);
    fs::remove_all(tmp / "d");
    EXPECT_FALSE(files.read(d, 1));  // gone
    EXPECT_GE(CgroupFiles::default_max_cgroups(), 1u);
    EXPECT_LE(CgroupFiles::default_max_cgroups(), 4096u);
}

TEST(CgroupFiles, AMissingControllerIsTriedAgainAndAGoneCgroupIsNoSample) {
    pc::test::TempDir tmp;
    fs::copy(tree() / kLimited, tmp / "c");
    fs::remove(tmp / "c" / "io.stat");
    const std::string c = (tmp / "c").string();
    CgroupFiles files(16);
    EXPECT_EQ(files.read(c, inode(c))->io_write_ops, 0u);
    EXPECT_EQ(files.descriptors_open(), 7u);
    write(tmp / "c" / "io.stat", "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0\n");
    EXPECT_EQ(files.read(c, inode(c))->io_write_ops, 4u);
    EXPECT_EQ(files.descriptors_open(), 8u);
    EXPECT_FALSE(files.read((tmp / "none").string(), 1));
    EXPECT_EQ(files.cgroups_kept(), 1u);  // nothing kept of a gone cgroup
}
