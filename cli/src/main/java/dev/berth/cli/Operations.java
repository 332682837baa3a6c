package dev.berth.cli;

import dev.berth.sdk.api.BillingApi;
import dev.berth.sdk.api.HostsApi;
import dev.berth.sdk.model.Host;
import dev.berth.sdk.model.Invoice;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The fleet (admin key) and the bill: {@code berth hosts ...}, {@code usage}, {@code invoice}. */
final class Operations {

  private Operations() {}

  abstract static class Base implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin Containers.Common common;

    void print(Object value, List<String[]> table) throws Exception {
      Berth.print(spec.commandLine().getOut(), common.output, value, table);
    }
  }

  static List<String[]> hostTable(List<Host> hosts) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "Id",
          "State",
          "Zone",
          "vCPU reserved/allocatable",
          "GB reserved/allocatable",
          "Groups",
          "Breaker"
        });
    for (Host h : hosts) {
      rows.add(
          new String[] {
            h.getId(),
            Objects.toString(h.getState(), ""),
            Objects.toString(h.getZone(), ""),
            h.getReserved() == null || h.getAllocatable() == null
                ? ""
                : h.getReserved().getCpu() + "/" + h.getAllocatable().getCpu(),
            h.getReserved() == null || h.getAllocatable() == null
                ? ""
                : h.getReserved().getMemoryInGB() + "/" + h.getAllocatable().getMemoryInGB(),
            Objects.toString(h.getGroupCount(), ""),
            Objects.toString(h.getCircuitBreaker(), "")
          });
    }
    return rows;
  }

  @Command(
      name = "hosts",
      mixinStandardHelpOptions = true,
      description = "The fleet's hosts (admin key).",
      subcommands = {
        Operations.ListHosts.class,
        Operations.Cordon.class,
        Operations.Uncordon.class,
        Operations.Drain.class
      })
  static final class Hosts implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the hosts.")
  static final class ListHosts extends Base {
    @Override
    public Integer call() throws Exception {
      var berth = new Berth.Connection(common.subscription);
      List<Host> hosts = new HostsApi(berth.client).listHosts().getValue();
      print(hosts, hostTable(hosts == null ? List.of() : hosts));
      return 0;
    }
  }

  abstract static class OnHost extends Base {
    @Parameters(index = "0", paramLabel = "HOST", description = "The host's id")
    String host;
  }

  /** Cordon or uncordon: the host as it is afterwards. */
  abstract static class HostChange extends OnHost {
    abstract Host change(HostsApi hosts, String host) throws Exception;

    @Override
    public Integer call() throws Exception {
      Host h = change(new HostsApi(new Berth.Connection(common.subscription).client), host);
      print(h, hostTable(List.of(h)));
      return 0;
    }
  }

  @Command(
      name = "cordon",
      mixinStandardHelpOptions = true,
      description = "Take no new groups on a host.")
  static final class Cordon extends HostChange {
    @Override
    Host change(HostsApi hosts, String host) throws Exception {
      return hosts.cordonHost(host);
    }
  }

  @Command(
      name = "uncordon",
      mixinStandardHelpOptions = true,
      description = "Let a host take groups again.")
  static final class Uncordon extends HostChange {
    @Override
    Host change(HostsApi hosts, String host) throws Exception {
      return hosts.uncordonHost(host);
    }
  }

  @Command(
      name = "drain",
      mixinStandardHelpOptions = true,
      description = "Move a host's groups elsewhere, one at a time.")
  static final class Drain extends OnHost {
    @Option(names = "--deadline-seconds", description = "Stop what is left after this long")
    Integer deadlineSeconds;

    @Override
    public Integer call() throws Exception {
      var drain =
          new HostsApi(new Berth.Connection(common.subscription).client)
              .drainHost(host, deadlineSeconds);
      print(
          drain,
          List.of(
              new String[] {"Host", "State", "Remaining groups"},
              new String[] {
                host,
                Objects.toString(drain.getState(), ""),
                drain.getRemainingGroups() == null
                    ? "0"
                    : Integer.toString(drain.getRemainingGroups().size())
              }));
      return 0;
    }
  }

  @Command(
      name = "usage",
      mixinStandardHelpOptions = true,
      description = "What a subscription (or, with -g and -n, a group) has cost, to the second.")
  static final class Usage extends Base {
    @Option(
        names = {"-g", "--resource-group"},
        description = "Resource group of the group")
    String resourceGroup;

    @Option(
        names = {"-n", "--name"},
        description = "The group")
    String name;

    @Option(names = "--from", description = "From (ISO-8601, default: the month's start)")
    OffsetDateTime from;

    @Option(names = "--to", description = "To (ISO-8601, default: now)")
    OffsetDateTime to;

    @Override
    public Integer call() throws Exception {
      var berth = new Berth.Connection(common.subscription);
      var billing = new BillingApi(berth.client);
      if (name != null) {
        if (resourceGroup == null) {
          throw new Berth.Refused(CommandLine.ExitCode.USAGE, "give -g with -n");
        }
        var usage =
            billing.containerGroupUsage(
                berth.subscription(), resourceGroup, name, Berth.API_VERSION);
        print(
            usage,
            List.of(
                new String[] {"Group", "Currency", "Total"},
                new String[] {name, usage.getCurrency(), usage.getTotalCost()}));
        return 0;
      }
      var usage =
          billing.subscriptionUsage(berth.subscription(), Berth.API_VERSION, from, to, null);
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ResourceGroup", "Group", "Cost"});
      if (usage.getByGroup() != null) {
        usage
            .getByGroup()
            .forEach(
                g ->
                    rows.add(
                        new String[] {g.getResourceGroup(), g.getContainerGroup(), g.getCost()}));
      }
      rows.add(new String[] {"", "total " + usage.getCurrency(), usage.getTotalCost()});
      print(usage, rows);
      return 0;
    }
  }

  @Command(
      name = "invoice",
      mixinStandardHelpOptions = true,
      description = "A month's invoice (--month YYYY-MM), or every invoice.")
  static final class InvoiceCommand extends Base {
    @Option(names = "--month", description = "The month, YYYY-MM")
    String month;

    @Override
    public Integer call() throws Exception {
      var berth = new Berth.Connection(common.subscription);
      var billing = new BillingApi(berth.client);
      Object shown;
      List<Invoice> invoices;
      if (month != null) {
        Invoice invoice = billing.invoicesGet(berth.subscription(), month, Berth.API_VERSION);
        shown = invoice;
        invoices = List.of(invoice);
      } else {
        var all = billing.invoicesList(berth.subscription(), Berth.API_VERSION);
        shown = all;
        invoices = all.getValue() == null ? List.of() : all.getValue();
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"Month", "Status", "Currency", "Total"});
      for (Invoice i : invoices) {
        rows.add(
            new String[] {
              i.getMonth(), Objects.toString(i.getStatus(), ""), i.getCurrency(), i.getTotal()
            });
      }
      print(shown, rows);
      return 0;
    }
  }
}
