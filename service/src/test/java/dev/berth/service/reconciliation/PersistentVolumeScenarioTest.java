package dev.berth.service.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.service.containergroup.AzureFileShare;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.CreatingContainerGroup;
import dev.berth.service.containergroup.GitRepoSource;
import dev.berth.service.containergroup.GroupEvent;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupLimits;
import dev.berth.service.containergroup.GroupSpec;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupValidator;
import dev.berth.service.containergroup.Mount;
import dev.berth.service.containergroup.ProvisioningState;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.containergroup.StorageAccounts;
import dev.berth.service.containergroup.VolumeDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** gitRepo and azureFile volumes on the fake runtime: filled once, never half, failures shown. */
class PersistentVolumeScenarioTest extends ReconcilerScenarios {

  private final AtomicInteger clones = new AtomicInteger();

  /** Creates groups whose azureFile volumes name "acct" with the key "key". */
  private final CreatingContainerGroup creatingWithAccount =
      new CreatingContainerGroup(
          stores,
          placing,
          new GroupValidator(
              GroupLimits.aciDefaults(),
              new StorageAccounts() {
                @Override
                public boolean exists(String account) {
                  return account.equals("acct");
                }

                @Override
                public boolean keyMatches(String account, String key) {
                  return exists(account) && key.equals("key");
                }
              }),
          stores,
          id -> {},
          clock);

  /** A "clone" that lays one file, as a checkout of a one-file repository would. */
  private void oneFileRepository() {
    git =
        (source, into) -> {
          clones.incrementAndGet();
          try {
            Files.createDirectories(into);
            Files.writeString(into.resolve("README"), "cloned " + source.revision());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
  }

  private ContainerGroup withVolume(String name, RestartPolicy policy, VolumeDefinition volume) {
    var size = new Resources(500, 512);
    var main =
        new ContainerDefinition(
            "main",
            "berth/busybox:1",
            List.of("sleep", "3600"),
            List.of(),
            size,
            size,
            List.of(new Mount(volume.name(), "/data", false)));
    var spec =
        new GroupSpec(
            List.of(main), policy, "Linux", List.of(), null, List.of(volume), List.of(), null);
    return creatingWithAccount
        .createOrReplace(
            new CreatingContainerGroup.Request(
                new GroupKey("sub", "rg", name), "local", Map.of(), spec, "{}"))
        .group();
  }

  private static VolumeDefinition gitRepo(String directory, String revision) {
    return new VolumeDefinition(
        "src",
        VolumeDefinition.Kind.GIT_REPO,
        Map.of(),
        new GitRepoSource("git://127.0.0.1:9/repo.git", directory, revision),
        null);
  }

  @Test
  void aGitRepoVolumeIsFilledBeforeTheContainerStartsAndOnlyOnce() {
    oneFileRepository();
    ContainerGroup group = withVolume("git", RestartPolicy.ALWAYS, gitRepo(".", "v1"));

    reconciler.reconcile(group.id());

    String volume = LaunchSpecs.volumeName(group, "src");
    assertThat(runtime.volume(volume)).containsKeys("README", VolumeFilling.CLONED_MARKER);
    assertThat(new String(runtime.volume(volume).get("README"))).isEqualTo("cloned v1");
    assertThat(containersOnEngine(group)).containsExactly("main");
    assertThat(main(group).currentState().state()).isEqualTo(ContainerState.Kind.RUNNING);

    // The container dies and is started again: the complete volume is not cloned again.
    String id = main(group).containerId();
    runtime.exit(id, 1, false);
    clock.advance(java.time.Duration.ofMinutes(5));
    reconciler.reconcile(group.id());
    reconciler.reconcile(group.id());
    assertThat(main(group).restartCount()).isPositive();
    assertThat(clones).hasValue(1);
  }

  @Test
  void aSubdirectoryHoldsTheCheckoutWhenDirectoryIsNotDot() {
    oneFileRepository();
    ContainerGroup group = withVolume("subdir", RestartPolicy.ALWAYS, gitRepo("app/src", null));

    reconciler.reconcile(group.id());

    assertThat(runtime.volume(LaunchSpecs.volumeName(group, "src")))
        .containsKeys("app/src/README", VolumeFilling.CLONED_MARKER)
        .doesNotContainKey("README");
  }

  @Test
  void aVolumeHalfWrittenByADeadPassIsEmptiedBeforeItIsFilled() {
    oneFileRepository();
    ContainerGroup group = withVolume("crashed", RestartPolicy.ALWAYS, gitRepo(".", null));
    // What a pass that died mid-copy leaves: some files, no marker.
    String volume = LaunchSpecs.volumeName(group, "src");
    runtime.ensureVolume(volume, Map.of());
    runtime.writeVolume(volume, Map.of("half-copied", new byte[] {1}), "berth/busybox:1");

    reconciler.reconcile(group.id());

    assertThat(runtime.volume(volume).keySet())
        .containsExactlyInAnyOrder("README", VolumeFilling.CLONED_MARKER);
    assertThat(clones).hasValue(1);
  }

  @Test
  void aRepositoryThatCannotBeClonedFailsANeverGroupNamingIt() {
    git =
        (source, into) -> {
          throw new VolumeSourceFailure("revision 'nope' is not in " + source.repository() + ".");
        };
    ContainerGroup group = withVolume("badrev", RestartPolicy.NEVER, gitRepo(".", "nope"));

    reconciler.reconcile(group.id());

    assertThat(status(group).provisioningState()).isEqualTo(ProvisioningState.FAILED);
    assertThat(status(group).state()).isEqualTo(GroupState.FAILED);
    assertThat(status(group).events())
        .extracting(GroupEvent::message)
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("gitRepo volume 'src'")
                    .contains("revision 'nope' is not in git://127.0.0.1:9/repo.git"));
    assertThat(containersOnEngine(group)).isEmpty();
  }

  @Test
  void aPutThatWouldChangeAVolumesSourceUnderItsNameIsRefusedAndChangesNothing() {
    oneFileRepository();
    ContainerGroup group = withVolume("moving", RestartPolicy.ALWAYS, gitRepo(".", "v1"));
    reconciler.reconcile(group.id());

    assertThatThrownBy(() -> withVolume("moving", RestartPolicy.ALWAYS, gitRepo(".", "v2")))
        .isInstanceOfSatisfying(
            dev.berth.service.containergroup.GroupConflictException.class,
            e -> {
              assertThat(e.code()).isEqualTo("VolumeChangeNotSupported");
              assertThat(e.getMessage()).contains("'src'").contains("another name");
            });
    assertThat(stores.findById(group.id()).orElseThrow().generation()).isEqualTo(1);

    // The same volume, with another restart policy, is a new generation as before.
    assertThat(withVolume("moving", RestartPolicy.ON_FAILURE, gitRepo(".", "v1")).generation())
        .isEqualTo(2);
  }

  @Test
  void aRepositoryThatCannotBeClonedKeepsAnAlwaysGroupTryingWithoutContainers() {
    git =
        (source, into) -> {
          throw new VolumeSourceFailure("cannot clone " + source.repository() + ": refused");
        };
    ContainerGroup group = withVolume("badurl", RestartPolicy.ALWAYS, gitRepo(".", null));

    reconciler.reconcile(group.id());

    assertThat(status(group).provisioningState()).isNotEqualTo(ProvisioningState.FAILED);
    assertThat(main(group).currentState().detailStatus())
        .contains("gitRepo volume 'src': cannot clone git://127.0.0.1:9/repo.git");
    assertThat(main(group).events()).extracting(GroupEvent::name).contains("BackOff");
    assertThat(containersOnEngine(group)).isEmpty();

    // The repository answers now, but it is not tried again before the backoff has passed.
    oneFileRepository();
    reconciler.reconcile(group.id());
    assertThat(containersOnEngine(group)).isEmpty();
    clock.advance(java.time.Duration.ofSeconds(10));
    reconciler.reconcile(group.id());
    assertThat(containersOnEngine(group)).containsExactly("main");
  }

  @Test
  void anAzureFileVolumeIsTheShareDirectoryTheBackendPrepared() {
    shares = share -> "/srv/berth-shares/" + share.storageAccountName() + "/" + share.shareName();
    ContainerGroup group =
        withVolume(
            "share",
            RestartPolicy.ALWAYS,
            new VolumeDefinition(
                "data",
                VolumeDefinition.Kind.AZURE_FILE,
                Map.of(),
                null,
                new AzureFileShare("state", "acct", "key", false, null)));

    reconciler.reconcile(group.id());

    assertThat(runtime.hostDirectoryOf(LaunchSpecs.volumeName(group, "data")))
        .isEqualTo("/srv/berth-shares/acct/state");
    assertThat(containersOnEngine(group)).containsExactly("main");
  }
}
