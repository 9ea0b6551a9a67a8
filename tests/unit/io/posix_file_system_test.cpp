// The real FileSystem the store goes through: what the store relied on when it called the
// system directly (errors naming the path, ENOENT of remove, modes of created files).
#include "pc/io/posix_file_system.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "test_support.hpp"

namespace pc::io {
namespace {

namespace fs = std::filesystem;

TEST(PosixFileSystem, WritesReadsTruncatesAndSyncsAtOffsets) {
    pc::test::TempDir dir;
    PosixFileSystem files;
    auto f = files.open(dir.path() / "a", OpenMode::create, 0600);
    f->write_at("hello world\n", 0);
    f->write_at("HELLO", 0);
    EXPECT_EQ(f->size(), 12u);
    std::string buf(64, '\0');
    EXPECT_EQ(f->read_at(buf.data(), buf.size(), 6), 6u) << "fewer bytes only at the end";
    EXPECT_EQ(buf.substr(0, 6), "world\n");
    f->truncate(5);
    f->sync_data();
    f->sync();
    EXPECT_EQ(f->size(), 5u);
    EXPECT_EQ(f->permissions(), 0600u);
    EXPECT_EQ(pc::test::read_file(dir.path() / "a"), "HELLO");
    auto d = files.open(dir.path(), OpenMode::directory);
    d->sync_filesystem();
}

TEST(PosixFileSystem, ErrorsNameThePath) {
    pc::test::TempDir dir;
    PosixFileSystem files;
    const fs::path missing = dir.path() / "missing";
    try {
        files.open(missing, OpenMode::read_write);
        FAIL() << "opened a missing file";
    } catch (const std::system_error& ex) {
        EXPECT_EQ(ex.code().value(), ENOENT);
        EXPECT_NE(std::string(ex.what()).find("open " + missing.string()), std::string::npos)
            << ex.what();
    }
    try {
        files.rename(missing, dir.path() / "b");
        FAIL() << "renamed a missing file";
    } catch (const std::system_error& ex) {
        EXPECT_NE(std::string(ex.what()).find("rename " + missing.string() + " to "),
                  std::string::npos)
            << ex.what();
    }
    EXPECT_FALSE(files.remove(missing)) << "a missing file is not an error";
    EXPECT_THROW(files.remove(dir.path()), std::system_error) << "a directory is not unlinked";
}

TEST(PosixFileSystem, ReplacesListsRenamesAndRemoves) {
    pc::test::TempDir dir;
    PosixFileSystem files;
    const fs::path sub = dir.path() / "x" / "y";
    files.create_directories(sub);
    EXPECT_TRUE(files.is_directory(sub));
    EXPECT_TRUE(files.set_permissions(sub, 0750));
    files.sync_directory(sub);
    files.write_file_atomic(sub / "f", "one", 0640);
    files.write_file_atomic(sub / "f", "two", 0640);
    EXPECT_EQ(files.read_file(sub / "f"), "two");
    auto replaced = files.open(sub / "f", OpenMode::replace);
    EXPECT_EQ(replaced->size(), 0u) << "replace truncates";
    replaced->write_at("three", 0);
    files.rename(sub / "f", sub / "g");
    EXPECT_FALSE(files.exists(sub / "f"));
    EXPECT_TRUE(files.exists(sub / "g"));
    files.create_directories(sub / "d");
    auto entries = files.list(sub);
    ASSERT_EQ(entries.size(), 2u);
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    EXPECT_EQ(entries[0].path, sub / "d");
    EXPECT_FALSE(entries[0].regular_file);
    EXPECT_EQ(entries[1].path, sub / "g");
    EXPECT_TRUE(entries[1].regular_file);
    EXPECT_TRUE(files.remove(sub / "g"));
    EXPECT_FALSE(files.exists(sub / "g"));
    EXPECT_THROW(files.list(dir.path() / "nope"), std::system_error);
}

TEST(PosixFileSystem, TheDefaultIsOneSharedInstance) {
    EXPECT_EQ(default_file_system().get(), default_file_system().get());
    EXPECT_NE(dynamic_cast<PosixFileSystem*>(default_file_system().get()), nullptr);
}

}  // namespace
}  // namespace pc::io
