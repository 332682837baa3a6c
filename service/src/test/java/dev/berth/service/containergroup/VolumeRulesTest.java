package dev.berth.service.containergroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VolumeRulesTest {

  /** One account, "acct", whose key is "right-key". */
  private static final StorageAccounts ACCOUNTS =
      new StorageAccounts() {
        @Override
        public boolean exists(String account) {
          return account.equals("acct");
        }

        @Override
        public boolean keyMatches(String account, String key) {
          return exists(account) && "right-key".equals(key);
        }
      };

  private final VolumeRules rules = new VolumeRules(ACCOUNTS);

  private List<String> targets(VolumeDefinition volume) {
    return rules.check(List.of(volume)).stream().map(Violation::target).toList();
  }

  private static VolumeDefinition git(String repository, String directory, String revision) {
    return new VolumeDefinition(
        "src",
        VolumeDefinition.Kind.GIT_REPO,
        Map.of(),
        new GitRepoSource(repository, directory, revision),
        null);
  }

  private static VolumeDefinition share(
      String shareName, String account, String key, ShareMountOptions options) {
    return new VolumeDefinition(
        "data",
        VolumeDefinition.Kind.AZURE_FILE,
        Map.of(),
        null,
        new AzureFileShare(shareName, account, key, false, options));
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource(
      nullValues = "null",
      value = {
        "https://example.test/r.git, ., null, ''",
        "git://127.0.0.1:9418/r.git, app/src, v1.0, ''",
        "http://u:p@127.0.0.1/r.git, null, 0123abcd, ''",
        "file:///srv/r.git, ., null, repository",
        "ftp://host/r.git, ., null, repository",
        "not a url, ., null, repository",
        "null, ., null, repository",
        "https://h/r.git, ../escape, null, directory",
        "https://h/r.git, a/../../b, null, directory",
        "https://h/r.git, /abs, null, directory",
        "https://h/r.git, .., null, directory",
        "https://h/r.git, ., --upload-pack=x, revision",
        "https://h/r.git, ., has space, revision",
      })
  void gitRepoRules(String repository, String directory, String revision, String broken) {
    List<String> expected =
        broken.isEmpty() ? List.of() : List.of("properties.volumes[0].gitRepo." + broken);
    assertThat(targets(git(repository, directory, revision))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} {1} -> {3}")
  @CsvSource(
      nullValues = "null",
      value = {
        "state, acct, right-key, ''",
        "a-b-c, acct, right-key, ''",
        "ab, acct, right-key, shareName",
        "Upper, acct, right-key, shareName",
        "a--b, acct, right-key, shareName",
        "-ab, acct, right-key, shareName",
        "ab-, acct, right-key, shareName",
        "null, acct, right-key, shareName",
        "state, other, right-key, storageAccountName",
        "state, null, right-key, storageAccountName",
        "state, acct, wrong-key, storageAccountKey",
        "state, acct, null, storageAccountKey",
      })
  void azureFileRules(String shareName, String account, String key, String broken) {
    List<String> expected =
        broken.isEmpty() ? List.of() : List.of("properties.volumes[0].azureFile." + broken);
    assertThat(targets(share(shareName, account, key, null))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "uid {0} gid {1} mode {2} -> {3}")
  @CsvSource(
      nullValues = "null",
      value = {
        "1000, 1000, 504, ''",
        "null, null, null, ''",
        "-1, null, null, uid",
        "null, -5, null, gid",
        "null, null, 4096, mode",
        "null, null, -1, mode",
      })
  void mountOptionRules(Integer uid, Integer gid, Integer mode, String broken) {
    List<String> expected =
        broken.isEmpty()
            ? List.of()
            : List.of("properties.volumes[0].azureFile.mountOptions." + broken);
    assertThat(targets(share("state", "acct", "right-key", new ShareMountOptions(uid, gid, mode))))
        .isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void aWrongKeyIsNeverRepeatedInTheMessage() {
    assertThat(rules.check(List.of(share("state", "acct", "wrong-key-123", null))))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.code()).isEqualTo("InvalidStorageAccountKey");
              assertThat(v.message()).doesNotContain("wrong-key-123");
            });
  }

  @org.junit.jupiter.api.Test
  void theRepositoryIsShownWithoutItsCredentials() {
    var source = new GitRepoSource("https://user:token@git.example/r.git", null, null);
    assertThat(source.repositoryForDisplay()).isEqualTo("https://git.example/r.git");
    assertThat(source.toString()).doesNotContain("token");
    assertThat(source.atRoot()).isTrue();
    var share = new AzureFileShare("state", "acct", "the-key", true, null);
    assertThat(share.toString()).doesNotContain("the-key");
  }
}
