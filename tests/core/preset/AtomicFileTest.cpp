// AtomicFile: a write replaces the whole file or nothing, keeps the previous version only when
// asked, leaves no temporary file behind, and reading refuses files above the size limit.
#include "core/preset/AtomicFile.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/support/TempFolder.h"

namespace liverack::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(AtomicFileTest, WriteCreatesTheFileWithExactlyTheBytes) {
    test::TempFolder folder;
    const std::string bytes("a\0b\xff\n", 5);
    ASSERT_TRUE(AtomicFile::write(folder.file("f"), bytes, AtomicFile::Backup::Keep, "file"));
    EXPECT_EQ(test::readBytes(folder.file("f")), bytes);
    EXPECT_THAT(folder.entries(), ElementsAre("f"));  // no backup of nothing, no temporary file
}

TEST(AtomicFileTest, ReplacingKeepsThePreviousVersionOnlyWhenAsked) {
    test::TempFolder folder;
    ASSERT_TRUE(AtomicFile::write(folder.file("f"), "one", AtomicFile::Backup::Keep, "file"));
    ASSERT_TRUE(AtomicFile::write(folder.file("f"), "two", AtomicFile::Backup::Keep, "file"));
    EXPECT_EQ(test::readBytes(folder.file("f")), "two");
    EXPECT_EQ(test::readBytes(folder.file("f.bak")), "one");
    ASSERT_TRUE(AtomicFile::write(folder.file("g"), "one", AtomicFile::Backup::None, "file"));
    ASSERT_TRUE(AtomicFile::write(folder.file("g"), "two", AtomicFile::Backup::None, "file"));
    EXPECT_EQ(test::readBytes(folder.file("g")), "two");
    EXPECT_THAT(folder.entries(), ElementsAre("f", "f.bak", "g"));
}

TEST(AtomicFileTest, ReplacingKeepsTheFilesPermissions) {
    test::TempFolder folder;
    ASSERT_TRUE(AtomicFile::write(folder.file("f"), "one", AtomicFile::Backup::None, "file"));
    ASSERT_EQ(::chmod(folder.file("f").c_str(), 0600), 0);
    ASSERT_TRUE(AtomicFile::write(folder.file("f"), "two", AtomicFile::Backup::None, "file"));
    struct stat info {};
    ASSERT_EQ(::stat(folder.file("f").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(AtomicFileTest, AFailedWriteSaysWhyAndLeavesNothing) {
    test::TempFolder folder;
    const auto missingFolder =
        AtomicFile::write(folder.file("no/such/f"), "x", AtomicFile::Backup::Keep, "session");
    ASSERT_FALSE(missingFolder.ok());
    EXPECT_THAT(missingFolder.error(), HasSubstr("cannot save the session"));
    EXPECT_THAT(missingFolder.error(), HasSubstr("No such file or directory"));
    ASSERT_EQ(::mkdir(folder.file("dir").c_str(), 0755), 0);
    const auto isFolder =
        AtomicFile::write(folder.file("dir"), "x", AtomicFile::Backup::Keep, "file");
    ASSERT_FALSE(isFolder.ok());
    EXPECT_THAT(isFolder.error(), HasSubstr("it is a folder"));
    EXPECT_THAT(folder.entries(), ElementsAre("dir"));
}

TEST(AtomicFileTest, ReadGivesTheBytesAndRefusesMoreThanTheLimit) {
    test::TempFolder folder;
    folder.write("f", std::string(100, 'x'));
    const auto fits = AtomicFile::read(folder.file("f"), 100, "file");
    ASSERT_TRUE(fits.ok()) << fits.error();
    EXPECT_EQ(fits.value(), std::string(100, 'x'));
    const auto tooLarge = AtomicFile::read(folder.file("f"), 99, "file");
    ASSERT_FALSE(tooLarge.ok());
    EXPECT_THAT(tooLarge.error(), HasSubstr("larger than 99 bytes"));
    const auto missing = AtomicFile::read(folder.file("nothing"), 99, "session");
    ASSERT_FALSE(missing.ok());
    EXPECT_THAT(missing.error(), HasSubstr("cannot read the session"));
}

}  // namespace
}  // namespace liverack::core
