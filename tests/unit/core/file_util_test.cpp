#include "pc/core/file_util.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "pc/core/error.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

TEST(FileUtil, AtomicWriteReplacesAndSetsMode) {
    pc::test::TempDir dir;
    auto p = dir / "out.csv";
    pc::core::write_file_atomic(p, "old\n", 0644);
    pc::core::write_file_atomic(p, "new\n", 0600);
    EXPECT_EQ(pc::core::read_whole_file(p), "new\n");
    struct stat st {};
    ASSERT_EQ(::stat(p.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    // No temp files left behind.
    int entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++entries;
    EXPECT_EQ(entries, 1);
}

TEST(FileUtil, AtomicWriteIntoMissingDirectoryIsUserError) {
    pc::test::TempDir dir;
    EXPECT_THROW(pc::core::write_file_atomic(dir / "missing" / "x", "data"), pc::core::UserError);
}

TEST(FileUtil, ReadMissingFileNamesIt) {
    try {
        pc::core::read_whole_file("/nonexistent/file");
        FAIL();
    } catch (const pc::core::UserError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/file"), std::string::npos);
    }
}
