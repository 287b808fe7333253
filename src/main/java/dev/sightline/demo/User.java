package dev.sightline.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * A signed-up user of the product: who they are, their company, the devices they have used (the
 * first is the one they signed up on), their plan, how engaged they are and when they churn.
 * Mutable: the simulation updates plan, devices and activity as it goes.
 */
final class User {
    final long id;
    final String distinctId;
    final Names.Person person;
    final Names.Company company;
    final String role;
    final Geography.Zone zone;
    final double engagement;
    final long churnAtMillis;
    final int devicesWanted;
    final List<Device> devices = new ArrayList<>();
    String plan;
    long busyUntilMillis;

    User(long id, Names.Company company, Geography.Zone zone, String plan, long churnAtMillis, Rng rng) {
        this.id = id;
        this.distinctId = "usr_" + Long.toString(1_000_000 + id * 7919 % 1_000_003, 36) + Long.toString(id, 36);
        this.company = company;
        this.person = Names.person(company, id, rng);
        this.role = rng.pick(Names.ROLES);
        this.zone = zone;
        this.plan = plan;
        this.churnAtMillis = churnAtMillis;
        // a few power users do most of the work, as in every product
        this.engagement = rng.logNormal(0, 0.9);
        double d = rng.unit();
        this.devicesWanted = d < 0.5 ? 1 : d < 0.85 ? 2 : 3;
    }

    boolean paying() {
        return !plan.equals("free");
    }

    boolean activeAt(long millis) {
        return millis < churnAtMillis;
    }
}
