package dev.berth.service.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.service.containergroup.GitRepoSource;
import dev.berth.service.reconciliation.VolumeSourceFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revisions and failures of a clone, from a repository on disk (the e2e test clones from a git
 * server over the network).
 */
class JGitCheckoutsTest {

  @TempDir Path temp;

  private final JGitCheckouts checkouts =
      new JGitCheckouts(Duration.ofSeconds(10), Duration.ofMinutes(1));
  private String url;
  private RevCommit first;

  @BeforeEach
  void twoCommitsATagAndABranch() throws Exception {
    Path origin = temp.resolve("origin");
    try (Git git = Git.init().setDirectory(origin.toFile()).setInitialBranch("main").call()) {
      Files.writeString(origin.resolve("file.txt"), "one");
      git.add().addFilepattern("file.txt").call();
      first = git.commit().setMessage("one").setSign(false).call();
      git.tag().setName("v1").setObjectId(first).setSigned(false).call();
      Files.writeString(origin.resolve("file.txt"), "two");
      git.add().addFilepattern("file.txt").call();
      git.commit().setMessage("two").setSign(false).call();
      git.branchCreate().setName("old").setStartPoint(first).call();
    }
    url = origin.toUri().toString();
  }

  private String cloned(String revision) throws Exception {
    Path into = temp.resolve("into-" + revision);
    checkouts.checkout(new GitRepoSource(url, ".", revision), into);
    assertThat(into.resolve(".git")).isDirectory();
    return Files.readString(into.resolve("file.txt"));
  }

  @Test
  void aCloneNotDoneByItsDeadlineIsGivenUpSayingSo() {
    var late = new JGitCheckouts(Duration.ofSeconds(10), Duration.ZERO);
    assertThatThrownBy(
            () -> late.checkout(new GitRepoSource(url, ".", null), temp.resolve("into-late")))
        .isInstanceOf(VolumeSourceFailure.class)
        .hasMessageContaining("not done within 0 s");
  }

  @Test
  void theRemoteHeadATagABranchOrACommitIsCheckedOut() throws Exception {
    assertThat(cloned(null)).isEqualTo("two");
    assertThat(cloned("v1")).isEqualTo("one");
    assertThat(cloned("old")).isEqualTo("one");
    assertThat(cloned(first.name())).isEqualTo("one");
    assertThat(cloned("main")).isEqualTo("two");
  }

  @Test
  void aRevisionTheRepositoryDoesNotHaveIsNamed() {
    assertThatThrownBy(
            () -> checkouts.checkout(new GitRepoSource(url, ".", "nope"), temp.resolve("x")))
        .isInstanceOf(VolumeSourceFailure.class)
        .hasMessageContaining("revision 'nope' is not in " + url);
  }

  @Test
  void aRepositoryThatIsNotThereIsNamedWithoutItsCredentials() {
    String withCredentials = "http://user:tok3n@127.0.0.1:1/none.git";
    assertThatThrownBy(
            () ->
                checkouts.checkout(
                    new GitRepoSource(withCredentials, ".", null), temp.resolve("y")))
        .isInstanceOf(VolumeSourceFailure.class)
        .hasMessageContaining("cannot clone http://127.0.0.1:1/none.git")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("tok3n"));
  }
}
