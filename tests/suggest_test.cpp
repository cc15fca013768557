// The shared name helpers of the core library: "did you mean" suggestions and
// table-column abbreviations that stay distinct.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "genrelab/abbreviate.h"
#include "genrelab/suggest.h"

namespace genrelab {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndAdjacentSwaps) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("evalute", "evaluate"), 1u);              // insertion
  EXPECT_EQ(edit_distance("random_forrest", "random_forest"), 1u);  // deletion
  EXPECT_EQ(edit_distance("max_dapth", "max_depth"), 1u);           // substitution
  EXPECT_EQ(edit_distance("rokc", "rock"), 1u);                     // swap: 2 for plain Levenshtein
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("ca", "abc"), 3u);  // optimal string alignment: no edit of a swapped pair
}

TEST(ClosestNames, SuggestsOnlyNearNames) {
  const std::vector<std::string> commands = {"evaluate", "compare", "explain", "extract", "train", "predict"};
  EXPECT_EQ(closest_names("evalute", commands), std::vector<std::string>{"evaluate"});
  EXPECT_EQ(closest_names("EVALUATE", commands), std::vector<std::string>{"evaluate"});  // case is no edit
  EXPECT_TRUE(closest_names("frobnicate", commands).empty());
  EXPECT_TRUE(closest_names("evaluate", commands).empty());  // an exact match is no suggestion
  // Short names need to be very close: "svm" is 3 edits from "knn", and 2 from "dummy" would be too many.
  EXPECT_TRUE(closest_names("svm", {"knn", "dummy"}).empty());
  EXPECT_EQ(closest_names("svn", {"svm", "knn"}), std::vector<std::string>{"svm"});
  // Ties are all offered, in the candidates' order.
  EXPECT_EQ(closest_names("explan", {"explain", "explant"}), (std::vector<std::string>{"explain", "explant"}));
  EXPECT_EQ(closest_names("rock", {"rocks", "rock"}), std::vector<std::string>{"rocks"});
}

TEST(DidYouMean, WordsTheSuggestionToAppend) {
  EXPECT_EQ(did_you_mean("random_forrest", {"random_forest", "extra_trees"}), " Did you mean 'random_forest'?");
  EXPECT_EQ(did_you_mean("explan", {"explain", "explant"}), " Did you mean 'explain' or 'explant'?");
  EXPECT_EQ(did_you_mean("zzzz", {"random_forest"}), "");
}

TEST(UniqueAbbreviations, KeepFittingNamesAndSeparateClashingCuts) {
  const std::vector<std::string> names = {"electro", "electronic", "pop", "electric blues", "ska"};
  const auto a = unique_abbreviations(names, 5);
  ASSERT_EQ(a.size(), names.size());
  EXPECT_EQ(a[2], "pop");
  EXPECT_EQ(a[4], "ska");
  for (const auto& s : a) EXPECT_LE(s.size(), 5u) << s;
  EXPECT_EQ(std::set<std::string>(a.begin(), a.end()).size(), a.size());
  // Each clashing cut keeps its start and its own ending.
  EXPECT_EQ(a[0], "ele~o");
  EXPECT_EQ(a[1], "ele~c");
  EXPECT_EQ(a[3], "ele~s");
  // A lone cut is marked, not numbered.
  EXPECT_EQ(unique_abbreviations({"classical", "pop"}, 5)[0], "clas~");
  // Without a mark: every letter counts, clashes are numbered.
  EXPECT_EQ(unique_abbreviations({"classical", "spanishpop", "spanishrock", "pop"}, 4, ""),
            (std::vector<std::string>{"clas", "spa1", "spa2", "pop"}));
}

TEST(UniqueAbbreviations, SameStartAndEndAreNumbered) {
  const auto a = unique_abbreviations({"rock 1970s", "rock 1980s", "rock 1990s", "rock"}, 5);
  EXPECT_EQ(a[3], "rock");
  EXPECT_EQ(std::set<std::string>(a.begin(), a.end()).size(), 4u) << a[0] << " " << a[1] << " " << a[2];
  for (const auto& s : a) EXPECT_LE(s.size(), 5u) << s;
}

bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

TEST(UniqueAbbreviations, NeverSplitACharacter) {
  // Cuts at byte 5 and 4 fall inside "ú", the ending's last byte inside "ó"/"á".
  const auto a = unique_abbreviations({"música ó", "música á", "forró pé de serra"}, 6);
  for (const auto& s : a) EXPECT_TRUE(valid_utf8(s)) << s;
  EXPECT_EQ(std::set<std::string>(a.begin(), a.end()).size(), a.size());
  EXPECT_EQ(a[0], "mú~ó");
  EXPECT_EQ(a[1], "mú~á");
}

}  // namespace
}  // namespace genrelab
