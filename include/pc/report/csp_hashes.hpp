// Content-Security-Policy sources for a page's own inline scripts and styles: 'sha256-<base64>'
// of each block's exact text, so that a browser runs those blocks and nothing else inline (no
// injected <script>, no event-handler or style attributes), without 'unsafe-inline'.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pc::report {

// 'sha256-<base64 of SHA-256 of block>', quotes included, as a policy lists it.
std::string csp_hash(std::string_view block);

class CspHashes {
public:
    // The exact text between <script> and </script> (or <style> and </style>).
    void add_script(std::string_view code);
    void add_style(std::string_view css);
    // A style="" attribute value a script sets (dygraphs measures its legend with one): allowed
    // by its hash with 'unsafe-hashes', which admits exactly that value and nothing else.
    void add_style_attribute(std::string_view value);
    void add(const CspHashes& other);

    // A policy's source lists: the hashes separated by spaces, 'none' when there are none.
    std::string script_src() const;
    std::string style_src() const;  // with 'unsafe-hashes' first when there are attributes
    const std::vector<std::string>& scripts() const { return scripts_; }
    const std::vector<std::string>& styles() const { return styles_; }

private:
    std::vector<std::string> scripts_;
    std::vector<std::string> styles_;
    std::vector<std::string> style_attributes_;
};

}  // namespace pc::report
