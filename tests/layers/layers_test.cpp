// The module layers as docs/architecture.md states them, checked against the code: every
// `#include "pc/<module>/..."` in src/, include/ and apps/ must name the file's own module or
// one its row in the table allows, and the table itself must point down only (each allowed
// module sits on a lower layer). The table is the single statement of the rules: change it
// and the code together.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;

struct ModuleRule {
    int layer = 0;
    std::set<std::string> may_include;
};

std::vector<std::string> split_cells(const std::string& row) {
    std::vector<std::string> cells;
    std::string cell;
    for (std::size_t i = 1; i < row.size(); ++i) {  // row starts with '|'
        if (row[i] == '|') {
            auto b = cell.find_first_not_of(' ');
            auto e = cell.find_last_not_of(' ');
            cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
            cell.clear();
        } else {
            cell += row[i];
        }
    }
    return cells;
}

// Rows of the table under "## Modules" whose first cell is a `name` in backquotes:
// | `module` | layer | owns | may include |
std::map<std::string, ModuleRule> read_rules(const fs::path& doc) {
    std::ifstream in(doc);
    std::map<std::string, ModuleRule> rules;
    std::string line;
    bool in_section = false;
    const std::regex name_re("^`([a-z_:]+)`$");
    const std::regex dep_re("`([a-z_]+)`");
    while (std::getline(in, line)) {
        if (line.rfind("## ", 0) == 0) in_section = line == "## Modules";
        if (!in_section || line.rfind("| `", 0) != 0) continue;
        auto cells = split_cells(line);
        if (cells.size() < 4) continue;
        std::smatch m;
        if (!std::regex_match(cells[0], m, name_re)) continue;
        ModuleRule rule;
        rule.layer = std::stoi(cells[1]);
        const std::string& deps = cells.back();
        for (std::sregex_iterator it(deps.begin(), deps.end(), dep_re), end; it != end; ++it) {
            rule.may_include.insert((*it)[1]);
        }
        rules[m[1]] = rule;
    }
    return rules;
}

// The module a file belongs to: src/<m>/..., include/pc/<m>/..., apps/<binary>/... ("app:<b>").
std::string module_of(const fs::path& relative) {
    auto it = relative.begin();
    std::string top = it->string();
    if (top == "src" || top == "apps") {
        std::string m = (++it)->string();
        return top == "apps" ? "app:" + m : m;
    }
    ++it;  // include/pc
    return (++it)->string();
}

class Layers : public ::testing::Test {
protected:
    fs::path root = pc::test::source_dir();
    std::map<std::string, ModuleRule> rules = read_rules(root / "docs" / "architecture.md");
};

TEST_F(Layers, TableIsReadAndPointsDownOnly) {
    ASSERT_GE(rules.size(), 10u) << "docs/architecture.md has no readable module table";
    for (const auto& [name, rule] : rules) {
        for (const auto& dep : rule.may_include) {
            auto found = rules.find(dep);
            ASSERT_NE(found, rules.end()) << name << " may include " << dep << ", not in the table";
            EXPECT_LT(found->second.layer, rule.layer)
                << name << " (layer " << rule.layer << ") may include " << dep << " (layer "
                << found->second.layer << "): arrows must point down";
        }
    }
}

TEST_F(Layers, EveryModuleFolderHasARow) {
    for (const char* top : {"src", "include/pc"}) {
        for (const auto& entry : fs::directory_iterator(root / top)) {
            if (!entry.is_directory()) continue;
            EXPECT_TRUE(rules.count(entry.path().filename().string()))
                << top << "/" << entry.path().filename().string()
                << " is not in docs/architecture.md's module table";
        }
    }
    for (const auto& entry : fs::directory_iterator(root / "apps")) {
        EXPECT_TRUE(rules.count("app:" + entry.path().filename().string()))
            << "apps/" << entry.path().filename().string() << " has no row";
    }
}

TEST_F(Layers, EveryIncludeIsAllowed) {
    const std::regex include_re(R"(^\s*#\s*include\s*"pc/([a-z_]+)/)");
    std::size_t checked = 0;
    for (const char* top : {"src", "include", "apps"}) {
        for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
            auto ext = entry.path().extension();
            if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
            auto relative = fs::relative(entry.path(), root);
            std::string module = module_of(relative);
            auto rule = rules.find(module);
            if (rule == rules.end()) continue;  // reported by EveryModuleFolderHasARow
            std::ifstream in(entry.path());
            std::string line;
            int number = 0;
            while (std::getline(in, line)) {
                ++number;
                std::smatch m;
                if (!std::regex_search(line, m, include_re)) continue;
                ++checked;
                std::string target = m[1];
                EXPECT_TRUE(target == module || rule->second.may_include.count(target))
                    << relative.string() << ":" << number << ": " << module << " includes "
                    << target << ", which docs/architecture.md does not allow it";
            }
        }
    }
    EXPECT_GT(checked, 100u);
}

}  // namespace

// Every src/<m>/<name>.cpp has tests/unit/<m>/<name>_test.cpp or a row in TESTING.md naming it
// (`<m>/<name>` in backquotes, or `<m>/*_suffix` for a family), so a newcomer finds its tests.
TEST_F(Layers, EverySourceFileHasATestFileOrATestingLine) {
    std::ifstream in(root / "TESTING.md");
    ASSERT_TRUE(in) << "TESTING.md is missing";
    std::stringstream text;
    text << in.rdbuf();
    const std::string testing = text.str();
    auto listed = [&](const std::string& module, const std::string& name) {
        if (testing.find("`" + module + "/" + name + "`") != std::string::npos) return true;
        // A family such as `process/*_subsystem`.
        for (std::size_t at = testing.find("`" + module + "/*"); at != std::string::npos;
             at = testing.find("`" + module + "/*", at + 1)) {
            const std::size_t end = testing.find('`', at + 1);
            const std::string suffix =
                testing.substr(at + module.size() + 3, end - at - module.size() - 3);
            if (name.size() >= suffix.size() &&
                name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
                return true;
        }
        return false;
    };
    for (const auto& dir : fs::directory_iterator(root / "src")) {
        if (!dir.is_directory()) continue;
        const std::string module = dir.path().filename().string();
        for (const auto& file : fs::directory_iterator(dir.path())) {
            if (file.path().extension() != ".cpp") continue;
            const std::string name = file.path().stem().string();
            if (fs::exists(root / "tests" / "unit" / module / (name + "_test.cpp"))) continue;
            EXPECT_TRUE(listed(module, name))
                << "src/" << module << "/" << name << ".cpp has no tests/unit/" << module << "/"
                << name << "_test.cpp and no line in TESTING.md";
        }
    }
}
