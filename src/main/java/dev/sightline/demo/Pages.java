package dev.sightline.demo;

import java.util.List;
import java.util.Map;

/** The marketing site's pages and the web app's screens, with how often visitors go to each. */
final class Pages {
    private Pages() {}

    record Page(String path, String title, double weight) {}

    private static final List<Page> MARKETING_PAGES = List.of(
            new Page("/", "Tallyboard – KPI dashboards your team will read", 20),
            new Page("/pricing", "Pricing – Tallyboard", 16),
            new Page("/features/dashboards", "Dashboards – Tallyboard", 8),
            new Page("/features/alerts", "Alerts – Tallyboard", 5),
            new Page("/features/integrations", "Integrations – Tallyboard", 5),
            new Page("/customers", "Customers – Tallyboard", 5),
            new Page("/blog", "Blog – Tallyboard", 6),
            new Page("/blog/kpi-dashboard-examples", "12 KPI dashboard examples – Tallyboard", 4),
            new Page("/blog/saas-metrics-guide", "The SaaS metrics guide – Tallyboard", 3),
            new Page("/docs/getting-started", "Getting started – Tallyboard Docs", 6),
            new Page("/docs/integrations/stripe", "Stripe integration – Tallyboard Docs", 3),
            new Page("/about", "About us – Tallyboard", 2),
            new Page("/changelog", "Changelog – Tallyboard", 3));

    static final Weighted<Page> MARKETING = new Weighted<>(MARKETING_PAGES, Page::weight);

    static String title(String path) {
        for (Page p : MARKETING_PAGES) if (p.path().equals(path)) return p.title();
        return LANDING_TITLES.getOrDefault(path, "Tallyboard");
    }

    private static final Map<String, String> LANDING_TITLES = Map.of(
            "/lp/kpi-dashboards", "Build your KPI dashboard in 5 minutes – Tallyboard",
            "/blog/weekly-metrics-review", "How to run a weekly metrics review – Tallyboard",
            "/blog/okr-tracking-template", "OKR tracking template – Tallyboard",
            "/compare/spreadsheet-dashboards", "Tallyboard vs spreadsheets",
            "/integrations/slack", "Slack alerts for your KPIs – Tallyboard",
            "/integrations/stripe", "Stripe revenue dashboard – Tallyboard",
            "/signup", "Create your account – Tallyboard",
            "/demo", "Book a demo – Tallyboard");

    enum Screen { HOME, DASHBOARD, NEW_INSIGHT, INSIGHT, REPORTS, ALERTS, INTEGRATIONS, TEAM, SEARCH, BILLING }

    static final Weighted<Screen> APP = new Weighted<>(List.of(Screen.values()), s -> switch (s) {
        case HOME -> 18;
        case DASHBOARD -> 30;
        case NEW_INSIGHT -> 8;
        case INSIGHT -> 18;
        case REPORTS -> 6;
        case ALERTS -> 4;
        case INTEGRATIONS -> 3;
        case TEAM -> 3;
        case SEARCH -> 6;
        case BILLING -> 1;
    });

    static final List<String> MARKETING_CLICKS = List.of("Start free trial", "See pricing", "Watch the 2-minute demo",
            "Read more", "Features", "Docs", "Customers", "Compare plans");
    static final List<String> APP_CLICKS = List.of("Save", "Add tile", "Share", "Date range", "Refresh", "Duplicate",
            "Filter", "Close", "Export");
}
