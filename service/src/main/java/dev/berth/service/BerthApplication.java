package dev.berth.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Berth: ACI's container groups on your own Docker hosts. */
@SpringBootApplication
public class BerthApplication {

  public static void main(String[] args) {
    SpringApplication.run(BerthApplication.class, args);
  }
}
