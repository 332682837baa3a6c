package dev.berth.service.volumes;

import dev.berth.service.containergroup.GitRepoSource;
import dev.berth.service.reconciliation.GitCheckouts;
import dev.berth.service.reconciliation.VolumeSourceFailure;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Clones with JGit in Berth's process: no git binary on the hosts, nothing run inside the group's
 * containers. Credentials in the URL ({@code https://user:token@host/...}) are handed to JGit as a
 * credentials provider and kept out of every message.
 */
public final class JGitCheckouts implements GitCheckouts {

  private final Duration timeout;
  private final Duration deadline;

  /**
   * @param timeout how long the connection may be silent before the clone is given up
   * @param deadline how long the whole clone and checkout may take: a repository that drips slowly
   *     never goes silent, yet must not hold the reconciler's worker
   */
  public JGitCheckouts(Duration timeout, Duration deadline) {
    this.timeout = timeout;
    this.deadline = deadline;
  }

  /** Tells JGit to stop once the clone's deadline has passed; JGit asks between units of work. */
  private static final class Deadline extends org.eclipse.jgit.lib.EmptyProgressMonitor {
    private final long end;

    Deadline(Duration allowed) {
      this.end = System.nanoTime() + allowed.toNanos();
    }

    boolean passed() {
      return System.nanoTime() - end >= 0;
    }

    @Override
    public boolean isCancelled() {
      return passed();
    }
  }

  @Override
  public void checkout(GitRepoSource source, Path into) {
    String shown = source.repositoryForDisplay();
    Deadline budget = new Deadline(deadline);
    var clone =
        Git.cloneRepository()
            .setURI(source.repository())
            .setDirectory(into.toFile())
            .setTimeout((int) Math.max(1, timeout.toSeconds()))
            .setProgressMonitor(budget)
            .setCloneAllBranches(true);
    credentials(source.repository(), clone);
    try (Git git = clone.call()) {
      if (source.revision() != null) {
        ObjectId commit = resolve(git.getRepository(), source.revision());
        if (commit == null) {
          throw new VolumeSourceFailure(
              "revision '" + source.revision() + "' is not in " + shown + ".");
        }
        // Detached at the commit, as ACI's gitRepo does; forced over the default branch's files.
        git.checkout().setName(commit.name()).setForced(true).call();
      }
    } catch (GitAPIException | org.eclipse.jgit.api.errors.JGitInternalException e) {
      if (budget.passed()) {
        throw new VolumeSourceFailure(
            "cannot clone " + shown + ": not done within " + deadline.toSeconds() + " s.");
      }
      throw new VolumeSourceFailure(
          "cannot clone " + shown + ": " + scrub(e.getMessage(), source.repository(), shown));
    } catch (java.io.IOException e) {
      throw new VolumeSourceFailure(
          "cannot check out revision '"
              + source.revision()
              + "' of "
              + shown
              + ": "
              + scrub(e.getMessage(), source.repository(), shown));
    }
  }

  /** A commit id, a branch of the remote, or a tag; null when none of them. */
  private static ObjectId resolve(Repository repository, String revision)
      throws java.io.IOException {
    for (String candidate :
        new String[] {"refs/remotes/origin/" + revision, "refs/tags/" + revision, revision}) {
      try {
        ObjectId id = repository.resolve(candidate + "^{commit}");
        if (id != null) {
          return id;
        }
      } catch (org.eclipse.jgit.errors.RevisionSyntaxException
          | org.eclipse.jgit.errors.IncorrectObjectTypeException
          | org.eclipse.jgit.errors.MissingObjectException notThisOne) {
        // Try the next reading of the name.
      }
    }
    return null;
  }

  private static void credentials(String repository, org.eclipse.jgit.api.CloneCommand clone) {
    try {
      URIish uri = new URIish(repository);
      if (uri.getUser() != null) {
        clone.setCredentialsProvider(
            new UsernamePasswordCredentialsProvider(
                uri.getUser(), uri.getPass() == null ? "" : uri.getPass()));
      }
    } catch (URISyntaxException notAUri) {
      // JGit refuses it in call(), with a message this class scrubs.
    }
  }

  /** JGit's messages repeat the URL; the one with credentials never leaves this class. */
  private static String scrub(String message, String repository, String shown) {
    if (message == null) {
      return "unknown error";
    }
    return message.replace(repository, shown);
  }
}
