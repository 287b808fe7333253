package dev.sightline.demo;

import java.util.List;

/** People and companies: names drawn from short international lists, e-mail addresses derived from them. */
final class Names {
    private Names() {}

    private static final List<String> FIRST = List.of("Maria", "James", "Aisha", "Lukas", "Sofia", "Chen", "Priya", "Oliver",
            "Emma", "Mateo", "Yuki", "Noah", "Fatima", "Liam", "Amara", "Hannah", "Diego", "Ingrid", "Ravi", "Chloe",
            "Tomasz", "Grace", "Kenji", "Elena", "Samuel", "Zoe", "Ahmed", "Julia", "Daniel", "Lea", "Arjun", "Camille",
            "Olga", "Ethan", "Nia", "Marco", "Sara", "Felix", "Ana", "Jonas");
    private static final List<String> LAST = List.of("Garcia", "Smith", "Khan", "Müller", "Rossi", "Wang", "Patel", "Brown",
            "Johnson", "Fernandez", "Tanaka", "Williams", "Hassan", "Murphy", "Okafor", "Schmidt", "Lopez", "Larsen",
            "Sharma", "Dubois", "Kowalski", "Taylor", "Sato", "Ivanova", "Cohen", "Martin", "Ali", "Novak", "Jensen",
            "Moreau", "Singh", "Bernard", "Petrova", "Walker", "Mensah", "Bianchi", "Nilsson", "Weber", "Silva", "Berg");
    private static final List<String> COMPANY_FIRST = List.of("Bright", "North", "Blue", "Silver", "Clear", "Swift", "Open",
            "Iron", "Green", "Bold", "Lumen", "Cedar", "Atlas", "Nova", "Harbor", "Summit", "Pixel", "Quartz", "Maple", "Orbit");
    private static final List<String> COMPANY_SECOND = List.of("wave", "field", "stack", "works", "path", "line", "forge",
            "loop", "labs", "ly", "bit", "grid", "point", "scale", "craft");
    private static final List<String> COMPANY_SUFFIX = List.of("", "", " Inc.", " GmbH", " Ltd", " Labs", " Analytics", " Software");
    static final List<String> INDUSTRIES = List.of("SaaS", "E-commerce", "Fintech", "Healthcare", "Education", "Agency",
            "Logistics", "Media", "Manufacturing", "Nonprofit");
    static final List<String> ROLES = List.of("engineer", "product manager", "founder", "designer", "data analyst",
            "marketing", "sales", "operations", "customer success");

    record Company(String key, String name, String domain, String industry, int employees) {}

    record Person(String name, String email) {}

    static Company company(long id, Rng rng) {
        String first = rng.pick(COMPANY_FIRST);
        String second = rng.pick(COMPANY_SECOND);
        String base = first + second;
        String name = base + rng.pick(COMPANY_SUFFIX);
        // the id keeps keys unique when two companies draw the same words
        String key = base.toLowerCase() + "-" + Long.toString(id, 36);
        int employees = (int) Math.min(5000, Math.round(rng.logNormal(3.0, 1.3)) + 2);
        return new Company(key, name, key + ".example", rng.pick(INDUSTRIES), employees);
    }

    static Person person(Company company, long userId, Rng rng) {
        String first = rng.pick(FIRST);
        String last = rng.pick(LAST);
        String local = (first + "." + last).toLowerCase().replace("ü", "ue") + (rng.chance(0.2) ? String.valueOf(userId % 100) : "");
        return new Person(first + " " + last, local + "@" + company.domain());
    }
}
