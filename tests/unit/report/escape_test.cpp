#include "pc/report/escape.hpp"

#include <gtest/gtest.h>

using pc::report::append_script_json_string;
using pc::report::html_escaped;

namespace {
std::string js(std::string_view s) {
    std::string out;
    append_script_json_string(out, s);
    return out;
}
}  // namespace

TEST(Escape, HtmlTextCannotBecomeMarkup) {
    EXPECT_EQ(html_escaped("<img src=x onerror='alert(1)'>&\""),
              "&lt;img src=x onerror=&#39;alert(1)&#39;&gt;&amp;&quot;");
}

TEST(Escape, ScriptStringsCannotCloseTheScriptElement) {
    const std::string s = js("</script><script>alert(1)</script>");
    EXPECT_EQ(s.find('<'), std::string::npos);
    EXPECT_EQ(s.find('>'), std::string::npos);
    EXPECT_EQ(s, "\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\"");
}

TEST(Escape, QuotesBackslashesControlsAndLineSeparators) {
    EXPECT_EQ(js("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000a\"");
    EXPECT_EQ(js("x\xE2\x80\xA8y"), "\"x\\u2028y\"");
    EXPECT_EQ(js("<!--"), "\"\\u003c!--\"");
    EXPECT_EQ(js("caf\xC3\xA9"), "\"caf\xC3\xA9\"");  // valid UTF-8 kept
}

TEST(Escape, InvalidUtf8BecomesReplacementCharacters) {
    EXPECT_EQ(js("a\xFF"
                 "b"),
              "\"a\\ufffdb\"");
    EXPECT_EQ(js("\xC0\xAF"), "\"\\ufffd\\ufffd\"");  // overlong '/'
}
