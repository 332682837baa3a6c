package dev.berth.service.config;

import dev.berth.service.containergroup.ContainerGroupStore;
import dev.berth.service.host.HostPool;
import dev.berth.service.persistence.JdbcExecTickets;
import dev.berth.service.web.TerminalWebSocket;
import dev.berth.service.workload.ExecTickets;
import dev.berth.service.workload.OpeningTerminal;
import dev.berth.service.workload.RunningContainers;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * Interactive exec: tickets, and the WebSocket endpoint that redeems them. Tickets live in
 * PostgreSQL, so the client's WebSocket may reach any replica, not only the one that issued its
 * ticket.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class TerminalConfiguration implements WebSocketConfigurer {

  private final TerminalWebSocket terminal;

  public TerminalConfiguration(ExecTickets tickets, HostPool hosts) {
    this.terminal = new TerminalWebSocket(tickets, hosts);
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    registry.addHandler(terminal, TerminalWebSocket.PATH + "*");
  }

  @Bean
  static ExecTickets execTickets(JdbcTemplate jdbc, Clock clock) {
    return new ExecTickets(new JdbcExecTickets(jdbc), clock, Duration.ofMinutes(5));
  }

  @Bean
  static OpeningTerminal openingTerminal(ContainerGroupStore store, ExecTickets tickets) {
    return new OpeningTerminal(new RunningContainers(store), tickets);
  }
}
