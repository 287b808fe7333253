package dev.sightline.api;

import dev.sightline.account.AccountStore;
import dev.sightline.account.Accounts;
import dev.sightline.insight.Insights;
import dev.sightline.billing.UsageReports;
import dev.sightline.pipeline.Pipeline;
import dev.sightline.query.Definitions;
import dev.sightline.query.QueryService;
import dev.sightline.store.Backups;
import dev.sightline.store.EventStore;
import dev.sightline.store.MetaStore;
import dev.sightline.store.PersonReads;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Everything the HTTP routes call, wired by the app in one place. */
public record Services(
        MetaStore meta,
        EventStore events,
        PersonReads persons,
        Pipeline pipeline,
        QueryService queries,
        Definitions definitions,
        Insights insights,
        Accounts accounts,
        AccountStore accountStore,
        DemoProjects demo,
        Supplier<String> newProjectToken,
        Supplier<String> newPersonalApiKey,
        PrometheusMeterRegistry metrics,
        BooleanSupplier ready,
        Supplier<Map<String, String>> components,
        Clock clock,
        HttpOptions options,
        Backups backups,
        UsageReports usage,
        dev.sightline.cohort.Cohorts cohorts) {}
