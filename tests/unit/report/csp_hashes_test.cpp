// Hash sources as Content-Security-Policy spells them.
#include "pc/report/csp_hashes.hpp"

#include <gtest/gtest.h>

using pc::report::csp_hash;
using pc::report::CspHashes;

TEST(CspHash, MatchesTheSpecificationsExample) {
    // CSP Level 3, "hash-source": the example script and its source expression.
    EXPECT_EQ(csp_hash("alert('Hello, world.');"),
              "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='");
    // The empty block (sha256sum of nothing, in base64).
    EXPECT_EQ(csp_hash(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
}

TEST(CspHashes, ListsEachBlockOnceAndNoneWhenEmpty) {
    CspHashes h;
    EXPECT_EQ(h.script_src(), "'none'");
    h.add_script("a()");
    h.add_script("a()");
    h.add_script("b()");
    h.add_style("p{}");
    EXPECT_EQ(h.scripts().size(), 2u);
    EXPECT_EQ(h.script_src(), csp_hash("a()") + " " + csp_hash("b()"));
    EXPECT_EQ(h.style_src(), csp_hash("p{}"));
    CspHashes more;
    more.add_style("p{}");
    more.add_style("q{}");
    h.add(more);
    EXPECT_EQ(h.styles().size(), 2u);
}

TEST(CspHashes, StyleAttributesNeedUnsafeHashesAndTheirOwnHash) {
    CspHashes h;
    h.add_style("p{}");
    EXPECT_EQ(h.style_src().find("unsafe-hashes"), std::string::npos);
    h.add_style_attribute("margin: 0;");
    EXPECT_EQ(h.style_src(), "'unsafe-hashes' " + csp_hash("p{}") + " " + csp_hash("margin: 0;"));
}
