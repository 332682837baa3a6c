package dev.berth.service.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** Serves the cost dashboard (static files from the billing module) at /dashboard. */
@Controller
public class DashboardController {

  @GetMapping({"/dashboard", "/dashboard/"})
  public String dashboard() {
    return "forward:/dashboard/index.html";
  }
}
