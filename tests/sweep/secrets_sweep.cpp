// Runs after the whole integration suite (ctest fixture cleanup): no API key that any test
// handed to a program appears in any program's stderr, i.e. in any log line of the suite.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

// Keys shorter than pcd accepts (8) are test inputs for the "too short" warning, and would
// match ordinary words.
constexpr std::size_t kShortestKey = 8;

// Where a key was found, without printing the key itself.
std::string hit(const fs::path& log, const std::string& text, std::size_t at,
                const std::string& key) {
    const auto line = std::count(text.begin(), text.begin() + static_cast<long>(at), '\n') + 1;
    return log.filename().string() + " line " + std::to_string(line) + ": key " + key.substr(0, 3) +
           "... (" + std::to_string(key.size()) + " chars)";
}

TEST(SecretsSweep, NoKeyInAnyLogOfTheIntegrationSuite) {
    const auto dir = pc::test::log_archive_dir();
    ASSERT_TRUE(fs::is_directory(dir)) << dir << " is missing: run this through ctest";
    std::set<std::string> keys;
    std::vector<fs::path> logs;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const auto& p = entry.path();
        if (p.extension() == ".log") logs.push_back(p);
        if (p.extension() != ".keys") continue;
        std::istringstream in(pc::test::read_file(p));
        std::string key;
        while (std::getline(in, key))
            if (key.size() >= kShortestKey) keys.insert(key);
    }
    std::size_t bytes = 0;
    std::vector<std::string> hits;
    for (const auto& log : logs) {
        const std::string text = pc::test::read_file(log);
        bytes += text.size();
        for (const auto& key : keys)
            if (auto at = text.find(key); at != std::string::npos)
                hits.push_back(hit(log, text, at, key));
    }
    std::cout << "[secrets] " << logs.size() << " program logs (" << bytes
              << " bytes) searched for " << keys.size() << " keys: " << hits.size() << " hits\n";
    // A filtered run (ctest -R) may start no program at all; the archive's wiring itself is
    // checked by integration_log_archive_test.
    if (logs.empty())
        GTEST_SKIP() << "no program logs in " << dir
                     << ": the tests selected for this run (ctest -R/-L) started no program, so "
                        "there is no log to search";
    for (const auto& h : hits) ADD_FAILURE() << "API key in a log: " << h;
}

}  // namespace
