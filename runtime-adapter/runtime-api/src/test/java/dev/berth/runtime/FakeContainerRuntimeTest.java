package dev.berth.runtime;

import java.time.Clock;

/** The fake passes the same contract as the Docker engine. */
class FakeContainerRuntimeTest extends ContainerRuntimeContract {

  private final FakeContainerRuntime runtime = new FakeContainerRuntime(Clock.systemUTC());

  @Override
  protected ContainerRuntime runtime() {
    return runtime;
  }

  @Override
  protected String image() {
    return "berth/busybox:1";
  }
}
