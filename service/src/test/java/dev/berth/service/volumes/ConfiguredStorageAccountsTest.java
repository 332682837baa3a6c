package dev.berth.service.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.service.containergroup.AzureFileShare;
import dev.berth.service.containergroup.ShareMountOptions;
import dev.berth.service.reconciliation.VolumeSourceFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfiguredStorageAccountsTest {

  @TempDir Path root;

  private ConfiguredStorageAccounts accounts() {
    String hash = HexFormat.of().formatHex(ConfiguredStorageAccounts.sha256("s3cret-key"));
    return new ConfiguredStorageAccounts(
        Map.of("acct", new ConfiguredStorageAccounts.Account(root, hash.toUpperCase())));
  }

  @Test
  void theKeyIsCheckedAgainstTheConfiguredHash() {
    var accounts = accounts();
    assertThat(accounts.exists("acct")).isTrue();
    assertThat(accounts.exists("other")).isFalse();
    assertThat(accounts.keyMatches("acct", "s3cret-key")).isTrue();
    assertThat(accounts.keyMatches("acct", "s3cret-kex")).isFalse();
    assertThat(accounts.keyMatches("acct", null)).isFalse();
    assertThat(accounts.keyMatches("other", "s3cret-key")).isFalse();
  }

  @Test
  void aShareIsASubdirectoryGivenItsOwnerAndModeEachTime() throws Exception {
    var accounts = accounts();
    var share =
        new AzureFileShare(
            "state", "acct", "s3cret-key", false, new ShareMountOptions(1234, 2345, 0750));

    String directory = accounts.prepare(share);

    Path made = Path.of(directory);
    assertThat(made).isEqualTo(root.resolve("state").toAbsolutePath()).isDirectory();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made)))
        .isEqualTo("rwxr-x---");
    assertThat(Files.getAttribute(made, "unix:uid")).isEqualTo(1234);
    assertThat(Files.getAttribute(made, "unix:gid")).isEqualTo(2345);

    // Level, not edge: a mode changed behind Berth's back is set again, and files stay.
    Files.writeString(made.resolve("kept"), "data");
    Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rwx------"));
    accounts.prepare(share);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made)))
        .isEqualTo("rwxr-x---");
    assertThat(made.resolve("kept")).hasContent("data");
  }

  @Test
  void aShareOfAnAccountNoLongerOfferedFailsNamingIt() {
    var share = new AzureFileShare("state", "gone", "k", false, null);
    assertThatThrownBy(() -> accounts().prepare(share))
        .isInstanceOf(VolumeSourceFailure.class)
        .hasMessageContaining("'gone'");
  }
}
