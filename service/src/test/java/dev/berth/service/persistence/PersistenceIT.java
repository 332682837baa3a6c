package dev.berth.service.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.containergroup.ContainerState;
import dev.berth.service.containergroup.ContainerStatus;
import dev.berth.service.containergroup.CreatingContainerGroup;
import dev.berth.service.containergroup.EnvironmentVariable;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupSpec;
import dev.berth.service.containergroup.GroupState;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.ProvisioningState;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.RestartPolicy;
import dev.berth.service.scheduling.InsufficientCapacityException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The stores on real PostgreSQL (embedded binaries), migrated by Flyway as in production. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "berth.admin-key=it-admin",
      "berth.hosts.register=",
      "berth.reconcile.sweep-interval=1h",
      // Hosts inserted below never answer; they stay Ready only if nobody pings them.
      "berth.hosts.ping-interval=1h"
    })
class PersistenceIT {

  static final Path dataDir = dev.berth.service.ItData.directory();

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("berth.data-dir", () -> dataDir.toString());
    // The account aStorageAccountKeyIsEncryptedAtRest names; its key's SHA-256.
    registry.add("berth.storage.accounts.acct.path", () -> dataDir.resolve("shares").toString());
    registry.add(
        "berth.storage.accounts.acct.key-sha256",
        () ->
            java.util.HexFormat.of()
                .formatHex(
                    sha256(
                        "canary-storage-key-in-db"
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8))));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  @Autowired ContainerGroupStore store;
  @Autowired JdbcPlacementStore placements;
  @Autowired CreatingContainerGroup creating;
  @Autowired JdbcTemplate jdbc;
  @Autowired dev.berth.service.containergroup.Transactions transactions;

  private static GroupSpec spec(Resources size, EnvironmentVariable... environment) {
    var main =
        new ContainerDefinition(
            "main", "berth/busybox:1", List.of("sleep", "1"), List.of(environment), size, size);
    return new GroupSpec(List.of(main), RestartPolicy.ALWAYS, "Linux");
  }

  private String host(long milliCpu, long memoryMiB) {
    String id = "it-" + UUID.randomUUID();
    jdbc.update(
        "insert into hosts (id, endpoint, allocatable_milli_cpu, allocatable_memory_mib,"
            + " engine_version, last_seen_at) values (?, 'unix:///nowhere', ?, ?, 'test', now())",
        id,
        milliCpu,
        memoryMiB);
    return id;
  }

  private ContainerGroup create(String sub, String name, GroupSpec spec) {
    return creating
        .createOrReplace(
            new CreatingContainerGroup.Request(
                new GroupKey(sub, "rg", name), "local", Map.of(), spec, "{}"))
        .group();
  }

  @Test
  void secureValuesAreEncryptedAtRestAndReadBack() {
    host(1000, 1024);
    String sub = "enc-" + UUID.randomUUID();
    ContainerGroup group =
        create(
            sub,
            "secret",
            spec(
                new Resources(10, 16),
                new EnvironmentVariable("PLAIN", "visible", false),
                new EnvironmentVariable("TOKEN", "canary-in-db", true)));

    String stored =
        jdbc.queryForObject(
            "select spec from container_groups where id = ?", String.class, group.id());
    assertThat(stored).contains("visible").doesNotContain("canary-in-db").contains("enc:v1:");
    String everything =
        String.join(
            "\n",
            jdbc.queryForList(
                "select g::text from container_groups g union all select s::text from group_status s",
                String.class));
    assertThat(everything).doesNotContain("canary-in-db");

    assertThat(store.findById(group.id()).orElseThrow().spec().containers().get(0).environment())
        .contains(new EnvironmentVariable("TOKEN", "canary-in-db", true));
  }

  @Test
  void probesAndWhatTheySaidAreKeptWithTheSpecAndTheStatus() {
    host(1000, 1024);
    var liveness =
        new dev.berth.service.containergroup.Probe(
            null,
            new dev.berth.service.containergroup.Probe.HttpGet(
                "/health",
                8080,
                "https",
                List.of(new dev.berth.service.containergroup.Probe.Header("X-Check", "1"))),
            1,
            2,
            3,
            4,
            1);
    var readiness =
        new dev.berth.service.containergroup.Probe(
            List.of("test", "-f", "/tmp/ready"), null, 0, 1, 1, 1, 2);
    GroupSpec plain = spec(new Resources(10, 16), new EnvironmentVariable("TOKEN", "t", true));
    GroupSpec probed =
        new GroupSpec(
            List.of(plain.containers().get(0).withProbes(liveness, readiness)),
            RestartPolicy.ALWAYS,
            "Linux");
    ContainerGroup group = create("probes-" + UUID.randomUUID(), "probed", probed);

    var read = store.findById(group.id()).orElseThrow().spec().containers().get(0);
    assertThat(read.livenessProbe()).isEqualTo(liveness);
    assertThat(read.readinessProbe()).isEqualTo(readiness);

    var before = store.status(group.id()).orElseThrow();
    java.time.Instant run = java.time.Instant.parse("2026-01-01T00:00:00.123456789Z");
    var after =
        before.withContainers(List.of(before.containers().get(0).withProbeVerdicts(true, run)));
    store.saveStatus(after, before);
    var saved = store.status(group.id()).orElseThrow().containers().get(0);
    assertThat(saved.ready()).isTrue();
    assertThat(saved.livenessFailedRun()).isEqualTo(run);
  }

  @Test
  void secretVolumeFilesAreEncryptedAtRest() {
    host(1000, 1024);
    String canary = java.util.Base64.getEncoder().encodeToString("canary-volume-in-db".getBytes());
    var base = spec(new Resources(10, 16));
    var withSecret =
        new GroupSpec(
            base.containers(),
            base.restartPolicy(),
            base.osType(),
            List.of(),
            null,
            List.of(
                new dev.berth.service.containergroup.VolumeDefinition(
                    "creds",
                    dev.berth.service.containergroup.VolumeDefinition.Kind.SECRET,
                    Map.of("token", canary))),
            List.of(),
            null);
    ContainerGroup group = create("vol-" + UUID.randomUUID(), "secret", withSecret);

    String stored =
        jdbc.queryForObject(
            "select spec from container_groups where id = ?", String.class, group.id());
    assertThat(stored).doesNotContain(canary).contains("enc:v1:");
    assertThat(store.findById(group.id()).orElseThrow().spec().volumes().get(0).secretFiles())
        .containsEntry("token", canary);
  }

  @Test
  void aStorageAccountKeyIsEncryptedAtRestAndAGitRepoIsReadBack() {
    host(1000, 1024);
    var base = spec(new Resources(10, 16));
    var share =
        new dev.berth.service.containergroup.AzureFileShare(
            "orders",
            "acct",
            "canary-storage-key-in-db",
            true,
            new dev.berth.service.containergroup.ShareMountOptions(1000, 1000, 0770));
    var git =
        new dev.berth.service.containergroup.GitRepoSource(
            "https://deploy:canary-git-token@127.0.0.1:9/r.git", "src", "v1");
    var spec =
        new GroupSpec(
            base.containers(),
            base.restartPolicy(),
            base.osType(),
            List.of(),
            null,
            List.of(
                new dev.berth.service.containergroup.VolumeDefinition(
                    "state",
                    dev.berth.service.containergroup.VolumeDefinition.Kind.AZURE_FILE,
                    Map.of(),
                    null,
                    share),
                new dev.berth.service.containergroup.VolumeDefinition(
                    "code",
                    dev.berth.service.containergroup.VolumeDefinition.Kind.GIT_REPO,
                    Map.of(),
                    git,
                    null)),
            List.of(),
            null);
    ContainerGroup group = create("share-" + UUID.randomUUID(), "share", spec);

    String stored =
        jdbc.queryForObject(
            "select spec from container_groups where id = ?", String.class, group.id());
    assertThat(stored)
        .doesNotContain("canary-storage-key-in-db")
        .doesNotContain("canary-git-token")
        .contains("enc:v1:");
    var read = store.findById(group.id()).orElseThrow().spec().volumes();
    assertThat(read.get(0).azureFile()).isEqualTo(share);
    assertThat(read.get(1).gitRepo()).isEqualTo(git);
  }

  @Test
  void aZoneIsStoredAndASpecStoredBeforeZonesReadsAsAnyZone() {
    host(1000, 1024);
    String sub = "zones-" + UUID.randomUUID();
    ContainerGroup withZone = create(sub, "z", spec(new Resources(10, 16)));
    jdbc.update(
        "update container_groups set spec = ? where id = ?",
        jdbc.queryForObject(
                "select spec from container_groups where id = ?", String.class, withZone.id())
            .replace("\"zone\":null", "\"zone\":\"2\""),
        withZone.id());
    assertThat(store.findById(withZone.id()).orElseThrow().spec().zone()).isEqualTo("2");

    // As written before GroupSpec had a zone: the field is absent.
    String old =
        jdbc.queryForObject(
                "select spec from container_groups where id = ?", String.class, withZone.id())
            .replace(",\"zone\":\"2\"", "");
    assertThat(old).doesNotContain("zone");
    jdbc.update("update container_groups set spec = ? where id = ?", old, withZone.id());
    GroupSpec read = store.findById(withZone.id()).orElseThrow().spec();
    assertThat(read.zone()).isNull();
    assertThat(read).isEqualTo(spec(new Resources(10, 16)));
  }

  @Test
  void statusesOfSeveralGroupsAreReadAtOnce() {
    host(1000, 1024);
    String sub = "batch-" + UUID.randomUUID();
    ContainerGroup a = create(sub, "a", spec(new Resources(10, 16)));
    ContainerGroup b = create(sub, "b", spec(new Resources(10, 16)));

    var statuses = store.statuses(List.of(a.id(), b.id(), UUID.randomUUID()));

    assertThat(statuses).containsOnlyKeys(a.id(), b.id());
    assertThat(statuses.get(a.id())).isEqualTo(store.status(a.id()).orElseThrow());
    assertThat(store.statuses(List.of())).isEmpty();
  }

  @Test
  void whereSeveralGroupsArePlacedIsReadAtOnce() {
    host(1000, 1024);
    String sub = "placed-" + UUID.randomUUID();
    ContainerGroup a = create(sub, "a", spec(new Resources(10, 16)));
    ContainerGroup b = create(sub, "b", spec(new Resources(10, 16)));
    store.update(b.nextGeneration(b.spec(), b.location(), b.tags(), "{}"));

    var placed = store.placed(List.of(a.id(), b.id(), UUID.randomUUID()));

    assertThat(placed).containsOnlyKeys(a.id(), b.id());
    assertThat(placed.get(a.id()))
        .isEqualTo(new ContainerGroupStore.Placed(store.status(a.id()).orElseThrow().hostId(), 1));
    assertThat(placed.get(a.id()).hostId()).isNotNull();
    assertThat(placed.get(b.id()).generation()).isEqualTo(2);
    assertThat(store.placed(List.of())).isEmpty();
  }

  @Autowired dev.berth.service.containergroup.GroupEventStream groupEvents;

  @Test
  void aStatusResetToPendingIsToldToFollowersAfterWhatCameBefore() {
    host(1000, 1024);
    ContainerGroup group = create("reset-" + UUID.randomUUID(), "g", spec(new Resources(10, 16)));
    GroupStatus read = store.status(group.id()).orElseThrow();
    store.saveStatus(
        read.with(ProvisioningState.SUCCEEDED, GroupState.RUNNING, read.events()), read);
    // A start or a replace puts it back to Pending, as CreatingContainerGroup does.
    store.resetStatus(
        GroupStatus.accepted(
            group,
            new dev.berth.service.containergroup.Placement(read.hostId(), read.ipAddress()),
            Instant.now()));

    assertThat(groupEvents.after(group.id(), 0, 10))
        .extracting(e -> e.event().state())
        .containsExactly("Running", "Pending");
    assertThat(groupEvents.after(group.id(), 0, 10))
        .extracting(dev.berth.service.containergroup.GroupEventStream.Numbered::seq)
        .containsExactly(1L, 2L);
  }

  @Test
  void followedGroupsAreReadAtOnceEachFromItsOwnPlaceWithItsState() {
    host(1000, 1024);
    String sub = "followed-" + UUID.randomUUID();
    ContainerGroup a = create(sub, "a", spec(new Resources(10, 16)));
    ContainerGroup b = create(sub, "b", spec(new Resources(10, 16)));
    GroupStatus readA = store.status(a.id()).orElseThrow();
    GroupStatus runningA =
        readA.with(ProvisioningState.SUCCEEDED, GroupState.RUNNING, readA.events());
    store.saveStatus(runningA, readA);
    store.saveStatus(
        runningA.with(ProvisioningState.SUCCEEDED, GroupState.SUCCEEDED, runningA.events()),
        store.status(a.id()).orElseThrow());
    GroupStatus readB = store.status(b.id()).orElseThrow();
    store.saveStatus(
        readB.with(ProvisioningState.SUCCEEDED, GroupState.RUNNING, readB.events()), readB);
    UUID gone = UUID.randomUUID();

    var followed = groupEvents.followed(Map.of(a.id(), 1L, b.id(), 0L, gone, 0L), 10);

    assertThat(followed).containsOnlyKeys(a.id(), b.id(), gone);
    assertThat(followed.get(a.id()).state()).contains(GroupState.SUCCEEDED);
    assertThat(followed.get(a.id()).events())
        .isEqualTo(groupEvents.after(a.id(), 1, 10))
        .extracting(e -> e.event().state())
        .containsExactly("Succeeded");
    assertThat(followed.get(b.id()).state()).contains(GroupState.RUNNING);
    assertThat(followed.get(b.id()).events()).isEqualTo(groupEvents.after(b.id(), 0, 10));
    assertThat(followed.get(gone).state()).isEmpty();
    assertThat(followed.get(gone).events()).isEmpty();
    assertThat(groupEvents.followed(Map.of(a.id(), 0L), 1).get(a.id()).events())
        .as("at most the limit, oldest first")
        .isEqualTo(groupEvents.after(a.id(), 0, 1));
    assertThat(groupEvents.followed(Map.of(), 10)).isEmpty();
  }

  @Test
  void aStatusComputedFromAStaleReadIsRefused() {
    host(1000, 1024);
    ContainerGroup group = create("stale-" + UUID.randomUUID(), "g", spec(new Resources(10, 16)));
    GroupStatus read = store.status(group.id()).orElseThrow();
    GroupStatus next =
        new GroupStatus(
            group.id(),
            1,
            ProvisioningState.CREATING,
            GroupState.PENDING,
            read.hostId(),
            read.ipAddress(),
            read.containers(),
            read.events(),
            Instant.now(),
            0,
            List.of());

    store.saveStatus(next, read);

    assertThatThrownBy(() -> store.saveStatus(next, read))
        .isInstanceOf(ContainerGroupStore.StaleStatusException.class);
    assertThat(store.status(group.id()).orElseThrow().provisioningState())
        .isEqualTo(ProvisioningState.CREATING);
  }

  @Test
  void racingPlacementsNeverOvercommitAHost() throws Exception {
    // All contention on one host: every other host is cordoned for this test.
    String small = host(1000, 100_000);
    jdbc.update("update hosts set admin_state = 'CORDONED' where id <> ?", small);
    String sub = "race-" + UUID.randomUUID();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Boolean>> attempts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String name = "g" + i;
      Callable<Boolean> attempt =
          () -> {
            try {
              create(sub, name, spec(new Resources(300, 16)));
              return true;
            } catch (InsufficientCapacityException full) {
              return false;
            }
          };
      attempts.add(pool.submit(attempt));
    }
    long placed = 0;
    for (Future<Boolean> attempt : attempts) {
      placed += attempt.get() ? 1 : 0;
    }
    pool.shutdown();

    Long reservedOnSmall =
        jdbc.queryForObject(
            "select coalesce(sum(milli_cpu), 0) from placements where host_id = ?",
            Long.class,
            small);
    Long totalPlacedHere =
        jdbc.queryForObject(
            "select count(*) from placements p join container_groups g on g.id = p.group_id where g.subscription_id = ?",
            Long.class,
            sub);
    assertThat(placed).isEqualTo(3);
    assertThat(totalPlacedHere).isEqualTo(3);
    assertThat(reservedOnSmall).isEqualTo(900);
    for (var h : placements.capacitiesExcluding(new UUID(0, 0))) {
      assertThat(h.reserved().milliCpu())
          .as(h.hostId())
          .isLessThanOrEqualTo(h.allocatable().milliCpu());
    }
  }

  @Test
  void listingPagesThroughResourceGroupsInOrder() {
    host(100_000, 100_000);
    String sub = "page-" + UUID.randomUUID();
    for (String rg : List.of("b", "a")) {
      for (String name : List.of("y", "x", "z")) {
        creating.createOrReplace(
            new CreatingContainerGroup.Request(
                new GroupKey(sub, rg, name), "local", Map.of(), spec(new Resources(10, 16)), "{}"));
      }
    }
    List<String> seen = new ArrayList<>();
    String after = null;
    do {
      var page = store.revisions(sub, null, after, 4);
      var current =
          store.current(page.revisions().stream().map(ContainerGroupStore.Revision::id).toList());
      for (var revision : page.revisions()) {
        GroupKey k = current.get(revision.id()).group().key();
        seen.add(k.resourceGroup() + "/" + k.name());
      }
      after = page.nextAfter();
    } while (after != null);
    assertThat(seen).containsExactly("a/x", "a/y", "a/z", "b/x", "b/y", "b/z");
    var ofB = store.revisions(sub, "b", null, 10).revisions();
    assertThat(ofB).hasSize(3);
    assertThat(ofB)
        .extracting(r -> store.findById(r.id()).orElseThrow().key().name())
        .containsExactly("x", "y", "z");
  }

  @Test
  void aHostThatCannotTakeTheGroupIsNotKeptLockedWhileThePlacementGoesOn() throws Exception {
    String full = host(1000, 1024);
    ContainerGroup holder =
        create("lock-" + UUID.randomUUID(), "holder", spec(new Resources(10, 16)));
    // Port 80 of the host's only address is taken, so the host has room but cannot take a group
    // publishing 80: the reservation is refused after the host's row was locked.
    jdbc.update(
        "insert into published_ports (host_id, address, port, protocol, group_id) values (?, '127.0.0.1', 80, 'TCP', ?)",
        full,
        holder.id());
    java.util.concurrent.CountDownLatch refused = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch checked = new java.util.concurrent.CountDownLatch(1);
    ExecutorService placing = Executors.newSingleThreadExecutor();
    Future<java.util.Optional<dev.berth.service.containergroup.Placement>> attempt =
        placing.submit(
            () ->
                transactions.inTransaction(
                    () -> {
                      java.util.Optional<dev.berth.service.containergroup.Placement> placed;
                      try {
                        placed =
                            placements.tryReserve(
                                UUID.randomUUID(),
                                full,
                                new Resources(10, 16),
                                List.of(
                                    new dev.berth.service.containergroup.PublishedPort(80, "TCP")));
                      } finally {
                        // The placement goes on to its next candidate while its transaction lasts.
                        refused.countDown();
                      }
                      try {
                        checked.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                      }
                      return placed;
                    }));
    refused.await();
    List<Integer> lockedByAnother;
    try {
      lockedByAnother =
          transactions.inTransaction(
              () ->
                  jdbc.queryForList(
                      "select 1 from hosts where id = ? for update nowait", Integer.class, full));
    } finally {
      checked.countDown();
    }
    try {
      assertThat(attempt.get()).isEmpty();
    } finally {
      placing.shutdownNow();
    }
    assertThat(lockedByAnother).as("the refused host could be locked at once").containsExactly(1);
  }

  @Test
  void aRevisionMovesWithEveryWriteOfTheGroupOrItsStatus() {
    host(100_000, 100_000);
    GroupKey key = new GroupKey("rev-" + UUID.randomUUID(), "rg", "g");
    creating.createOrReplace(
        new CreatingContainerGroup.Request(
            key, "local", Map.of(), spec(new Resources(10, 16)), "{}"));
    var first = store.revision(key).orElseThrow();
    var current = store.current(List.of(first.id())).get(first.id());
    assertThat(current.revision()).isEqualTo(first);
    assertThat(first.statusToken()).isEqualTo(current.status().updatedAt());

    store.saveStatus(current.status(), current.status());
    var afterStatus = store.revision(key).orElseThrow();
    assertThat(afterStatus.version()).isEqualTo(first.version());
    assertThat(afterStatus.statusToken()).isAfter(first.statusToken());

    store.update(current.group().withTags(Map.of("a", "b"), "{}"));
    var afterGroup = store.revision(key).orElseThrow();
    assertThat(afterGroup.version()).isGreaterThan(afterStatus.version());
    assertThat(afterGroup.statusToken()).isEqualTo(afterStatus.statusToken());
    assertThat(store.current(List.of(first.id())).get(first.id()).revision()).isEqualTo(afterGroup);

    store.delete(first.id());
    assertThat(store.revision(key)).isEmpty();
    assertThat(store.current(List.of(first.id()))).isEmpty();
  }

  private static ContainerStatus completed(String name, String containerId, Instant at) {
    return new ContainerStatus(
        name,
        containerId,
        ContainerState.terminated(at, at, 0, "Completed"),
        null,
        0,
        List.of(),
        0,
        null);
  }

  @Test
  void expectationsOfAHostAreTheDomainRuleReadInOneQuery() {
    String host = host(4000, 4096);
    String sub = "exp-" + UUID.randomUUID();
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    var running =
        new ContainerStatus(
            "main", "id-a", ContainerState.running(now), null, 0, List.of(), 0, null);
    var initDone = completed("init", "init-a", now);
    var backingOff =
        new ContainerStatus(
            "main",
            "id-c",
            ContainerState.waiting("CrashLoopBackOff"),
            null,
            2,
            List.of(),
            2,
            now.plusSeconds(40));
    ContainerGroup a = create(sub, "a", spec(new Resources(100, 128)));
    ContainerGroup b = create(sub, "b", spec(new Resources(100, 128)));
    ContainerGroup c = create(sub, "c", spec(new Resources(100, 128)));
    ContainerGroup d = create(sub, "d", spec(new Resources(100, 128)));
    d = d.withDesiredState(dev.berth.service.containergroup.DesiredState.STOPPED);
    store.update(d);
    // Finished, its image never came: at rest, and no container was ever created.
    ContainerGroup e = create(sub, "e", spec(new Resources(100, 128)));
    // At rest as well, but its stopped container is still on the host.
    var exited = completed("main", "id-f", now);
    ContainerGroup f = create(sub, "f", spec(new Resources(100, 128)));
    // Nothing created, but a restart was asked for since its status was written: not at rest.
    ContainerGroup g = create(sub, "g", spec(new Resources(100, 128)));
    Map<UUID, ContainerGroup> groups =
        Map.of(a.id(), a, b.id(), b, c.id(), c, d.id(), d, e.id(), e, f.id(), f, g.id(), g);
    List<GroupStatus> statuses =
        List.of(
            status(a, ProvisioningState.SUCCEEDED, GroupState.RUNNING, host, running, initDone),
            status(b, ProvisioningState.CREATING, GroupState.PENDING, host, null, null),
            status(c, ProvisioningState.SUCCEEDED, GroupState.RUNNING, host, backingOff, null),
            status(d, ProvisioningState.SUCCEEDED, GroupState.RUNNING, host, running, null),
            status(e, ProvisioningState.FAILED, GroupState.STOPPED, host, null, null),
            status(f, ProvisioningState.SUCCEEDED, GroupState.STOPPED, host, exited, null),
            status(g, ProvisioningState.FAILED, GroupState.STOPPED, host, null, null));
    statuses.forEach(store::resetStatus);
    store.update(g.withRestartRequested());
    groups = new java.util.HashMap<>(groups);
    groups.put(g.id(), store.findById(g.id()).orElseThrow());

    List<ContainerGroupStore.Expected> expected = store.expectedOn(host);

    Map<UUID, ContainerGroup> current = groups;
    List<ContainerGroupStore.Expected> byTheRule =
        statuses.stream()
            .map(s -> ContainerGroupStore.Expected.of(current.get(s.groupId()), s))
            .toList();
    assertThat(byTheRule)
        .filteredOn(ContainerGroupStore.Expected::quiet)
        .extracting(ContainerGroupStore.Expected::groupId)
        .containsExactly(e.id());
    assertThat(expected)
        .containsExactlyInAnyOrderElementsOf(byTheRule.stream().filter(x -> !x.quiet()).toList());
    assertThat(expected)
        .filteredOn(x -> x.groupId().equals(a.id()))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.atRest()).isTrue();
              assertThat(x.running())
                  .containsOnly(Map.entry("id-a", true), Map.entry("init-a", false));
            });
    assertThat(expected)
        .filteredOn(x -> !x.atRest())
        .extracting(ContainerGroupStore.Expected::groupId)
        .containsExactlyInAnyOrder(b.id(), d.id(), g.id());
    assertThat(expected)
        .filteredOn(x -> x.groupId().equals(c.id()))
        .singleElement()
        .extracting(ContainerGroupStore.Expected::restartAt)
        .isEqualTo(now.plusSeconds(40));
  }

  @Autowired dev.berth.service.containergroup.SubscriptionEventStream subscriptionEvents;
  @Autowired javax.sql.DataSource dataSource;

  @Test
  void theImagesOnAHostAreThoseOfItsGroupsContainersAndInitContainers() {
    String here = host(4000, 4096);
    String elsewhere = host(4000, 4096);
    String sub = "images-" + UUID.randomUUID();
    Resources size = new Resources(10, 16);
    var init =
        new ContainerDefinition(
            "init", "127.0.0.1:5000/init:1", List.of("true"), List.of(), size, size);
    var main =
        new ContainerDefinition(
            "main", "127.0.0.1:5000/main:1", List.of("sleep", "1"), List.of(), size, size);
    var other =
        new ContainerDefinition(
            "main", "127.0.0.1:5000/other:1", List.of("sleep", "1"), List.of(), size, size);
    ContainerGroup withInit =
        create(
            sub,
            "with-init",
            new GroupSpec(
                List.of(main),
                RestartPolicy.NEVER,
                "Linux",
                List.of(),
                null,
                List.of(),
                List.of(init),
                null));
    ContainerGroup plain = create(sub, "plain", spec(size));
    ContainerGroup away =
        create(sub, "away", new GroupSpec(List.of(other), RestartPolicy.NEVER, "Linux"));
    store.resetStatus(
        status(withInit, ProvisioningState.FAILED, GroupState.STOPPED, here, null, null));
    store.resetStatus(
        status(plain, ProvisioningState.SUCCEEDED, GroupState.RUNNING, here, null, null));
    store.resetStatus(
        status(away, ProvisioningState.SUCCEEDED, GroupState.RUNNING, elsewhere, null, null));

    assertThat(store.imagesOn(here))
        .containsExactlyInAnyOrder(
            "127.0.0.1:5000/init:1", "127.0.0.1:5000/main:1", "berth/busybox:1");
    assertThat(store.imagesOn(elsewhere)).containsExactly("127.0.0.1:5000/other:1");
  }

  @Test
  void theEmbeddedDatabaseAnswersACommitOnlyOnceItsWalIsWritten() throws Exception {
    // The embedded binaries' library turns synchronous commit off; an answered PUT must survive
    // PostgreSQL's processes being killed right after it.
    try (var connection = dataSource.getConnection();
        var statement = connection.createStatement();
        var result = statement.executeQuery("show synchronous_commit")) {
      assertThat(result.next()).isTrue();
      assertThat(result.getString(1)).isEqualTo("on");
    }
  }

  @Test
  void aSubscriptionsStreamNeverSkipsAnEventWhoseTransactionCommitsAfterALaterOnes()
      throws Exception {
    String sub = "stream-" + UUID.randomUUID();
    var start = subscriptionEvents.end();
    UUID early = UUID.randomUUID();
    UUID late = UUID.randomUUID();
    try (var first = dataSource.getConnection();
        var second = dataSource.getConnection()) {
      first.setAutoCommit(false);
      second.setAutoCommit(false);
      streamEvent(first, early, sub); // the older transaction...
      streamEvent(second, late, sub);
      second.commit(); // ...commits after the younger one
      assertThat(subscriptionEvents.after(sub, start, null, 10))
          .as("nothing is final while an older transaction may still add before it")
          .isEmpty();
      first.commit();
    }
    var both = subscriptionEvents.after(sub, start, null, 10);
    assertThat(both)
        .extracting(p -> p.position().groupId())
        .as("in the order of their transactions")
        .containsExactly(early, late);
    assertThat(both.get(0).event().state()).isEqualTo("Running");
    assertThat(both.get(0).resourceGroup()).isEqualTo("rg");
    assertThat(subscriptionEvents.after(sub, both.get(0).position(), null, 10))
        .extracting(p -> p.position().groupId())
        .containsExactly(late);
    assertThat(subscriptionEvents.after(sub, start, both.get(0).position(), 10))
        .extracting(p -> p.position().groupId())
        .containsExactly(early);
    assertThat(subscriptionEvents.after(start, 1000))
        .filteredOn(p -> p.subscriptionId().equals(sub))
        .isEqualTo(both);
    assertThat(subscriptionEvents.end()).isGreaterThanOrEqualTo(both.get(1).position());
    var id = both.get(1).position().toString();
    assertThat(dev.berth.service.containergroup.SubscriptionEventStream.Position.parse(id))
        .isEqualTo(both.get(1).position());
  }

  @Autowired JdbcWebhookStore webhookStore;

  @Test
  void aWebhookIsHeldByOneRunAtATimeAndALapsedClaimCannotMoveItsCursor() throws Exception {
    String sub = "hooks-" + UUID.randomUUID();
    var start = subscriptionEvents.end();
    Instant now = Instant.now();
    var webhook =
        new dev.berth.service.webhooks.Webhook(
            UUID.randomUUID(), sub, "http://127.0.0.1:1/x", null, now, start, false, 0, now, null);
    assertThat(webhookStore.create(webhook, "whsec_canary", 10)).isTrue();
    assertThat(
            jdbc.queryForObject(
                "select secret from webhooks where webhook_id = ?", String.class, webhook.id()))
        .as("kept encrypted")
        .doesNotContain("whsec_canary");
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    assertThat(webhookStore.claimDue(first, now, now.plusSeconds(60), 100))
        .as("nothing to deliver yet")
        .noneMatch(c -> c.webhook().id().equals(webhook.id()));

    try (var c = dataSource.getConnection()) {
      streamEvent(c, UUID.randomUUID(), sub);
    }
    assertThat(webhookStore.claimDue(first, now, now.plusSeconds(60), 100))
        .filteredOn(c -> c.webhook().id().equals(webhook.id()))
        .singleElement()
        .extracting(dev.berth.service.webhooks.WebhookStore.Claimed::secret)
        .isEqualTo("whsec_canary");
    assertThat(webhookStore.claimDue(second, now, now.plusSeconds(60), 100))
        .as("held by the first run")
        .noneMatch(c -> c.webhook().id().equals(webhook.id()));
    // The first run's replica died: once its claim lapses, another takes the webhook over.
    Instant later = now.plusSeconds(61);
    assertThat(webhookStore.claimDue(second, later, later.plusSeconds(60), 100))
        .anyMatch(c -> c.webhook().id().equals(webhook.id()));
    var event = subscriptionEvents.after(sub, start, null, 1).get(0).position();
    assertThat(webhookStore.delivered(webhook.id(), first, event, later.plusSeconds(60)))
        .as("a lapsed claim")
        .isFalse();
    assertThat(webhookStore.delivered(webhook.id(), second, event, later.plusSeconds(60))).isTrue();
    webhookStore.release(webhook.id(), second);
    assertThat(webhookStore.find(sub, webhook.id()).orElseThrow().deliveredThrough())
        .isEqualTo(event);
    assertThat(webhookStore.claimDue(first, later, later.plusSeconds(60), 100))
        .as("nothing after its cursor")
        .noneMatch(c -> c.webhook().id().equals(webhook.id()));

    for (int i = 1; i < 10; i++) {
      var another =
          new dev.berth.service.webhooks.Webhook(
              UUID.randomUUID(),
              sub,
              "http://127.0.0.1:1/" + i,
              null,
              now,
              start,
              false,
              0,
              now,
              null);
      assertThat(webhookStore.create(another, "s", 10)).isTrue();
    }
    var eleventh =
        new dev.berth.service.webhooks.Webhook(
            UUID.randomUUID(), sub, "http://127.0.0.1:1/11", null, now, start, false, 0, now, null);
    assertThat(webhookStore.create(eleventh, "s", 10)).as("the eleventh").isFalse();
    assertThat(webhookStore.list(sub)).hasSize(10);
  }

  @Test
  void javaOrdersStreamPositionsAsPostgreSqlDoes() throws Exception {
    String sub = "order-" + UUID.randomUUID();
    var start = subscriptionEvents.end();
    // One transaction, so one xid: the group ids decide, and these two sort one way as signed
    // numbers (UUID.compareTo) and the other as unsigned bytes (PostgreSQL).
    List<UUID> groups =
        List.of(
            new UUID(0x7fffffffffffffffL, 1),
            new UUID(0x8000000000000000L, 1),
            new UUID(0x8000000000000000L, -1),
            new UUID(0, 5),
            UUID.randomUUID());
    try (var c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      for (UUID g : groups) {
        streamEvent(c, g, sub);
      }
      c.commit();
    }
    var read = subscriptionEvents.after(sub, start, null, 10);
    assertThat(read).hasSize(groups.size());
    var positions = read.stream().map(p -> p.position()).toList();
    assertThat(positions).isSorted();
    // And each one resumes after itself, in Java's order as in the database's.
    for (int i = 0; i < positions.size(); i++) {
      assertThat(subscriptionEvents.after(sub, positions.get(i), null, 10))
          .extracting(p -> p.position())
          .containsExactlyElementsOf(positions.subList(i + 1, positions.size()));
    }
  }

  private static void streamEvent(java.sql.Connection c, UUID group, String sub)
      throws java.sql.SQLException {
    try (var insert =
        c.prepareStatement(
            "insert into group_events (group_id, seq, subscription_id, resource_group,"
                + " group_name, at, body) values (?, 1, ?, 'rg', 'g', now(), ?)")) {
      insert.setObject(1, group);
      insert.setString(2, sub);
      insert.setString(
          3, "{\"kind\":\"StateChanged\",\"at\":\"2026-12-04T10:00:00Z\",\"state\":\"Running\"}");
      insert.executeUpdate();
    }
  }

  private static GroupStatus status(
      ContainerGroup group,
      ProvisioningState provisioning,
      GroupState state,
      String host,
      ContainerStatus main,
      ContainerStatus init) {
    return new GroupStatus(
        group.id(),
        group.generation(),
        provisioning,
        state,
        host,
        null,
        main == null ? List.of(ContainerStatus.initial("main")) : List.of(main),
        List.of(),
        Instant.now(),
        group.restartEpoch(),
        init == null ? List.of() : List.of(init));
  }
}
