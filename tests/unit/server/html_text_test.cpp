// Escaping of values put into the dashboard's HTML and URLs.
#include "pc/server/html_text.hpp"

#include <gtest/gtest.h>

using namespace pc::server;

TEST(HtmlText, EscapesMarkupAndQuotes) {
    EXPECT_EQ(html_escape("<script>alert('x')</script> & \"y\""),
              "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;");
    EXPECT_EQ(html_escape("web-01.example_a"), "web-01.example_a");
}

TEST(HtmlText, UrlComponentKeepsOnlyUnreserved) {
    EXPECT_EQ(url_component("web-01.a_b~"), "web-01.a_b~");
    EXPECT_EQ(url_component("a b/c?d&e=\"<>"), "a%20b%2Fc%3Fd%26e%3D%22%3C%3E");
    EXPECT_EQ(url_component("\xc3\xa9"), "%C3%A9");
}
