package dev.berth.service.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Default quotas of every subscription (prefix {@code berth.quotas}); the admin API overrides them
 * per subscription ({@code PUT /admin/quotas/{subscriptionId}}). The defaults are ACI's documented
 * default limits for standard-SKU container groups and cores per region.
 *
 * @param containerGroups how many container groups a subscription may have (ACI: 100)
 * @param cores how many vCPU the containers of a subscription's groups may request in all (ACI's
 *     StandardCores: 100)
 */
@ConfigurationProperties("berth.quotas")
public record QuotaProperties(
    @DefaultValue("100") int containerGroups, @DefaultValue("100") int cores) {}
