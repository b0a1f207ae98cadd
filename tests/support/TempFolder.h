// A fresh folder under the system temp folder for one test, removed with everything in it when
// the test ends.
#pragma once

#include <string>
#include <vector>

namespace liverack::test {

class TempFolder {
public:
    TempFolder();
    ~TempFolder();
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;

    const std::string& path() const { return path_; }
    // "<folder>/<name>"
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    // Names of the entries in the folder, sorted.
    std::vector<std::string> entries() const;
    // Writes bytes to "<folder>/<name>" and returns the full path.
    std::string write(const std::string& name, const std::string& bytes) const;

private:
    std::string path_;
};

// The whole file as bytes ("" when it cannot be read).
std::string readBytes(const std::string& path);

}  // namespace liverack::test
