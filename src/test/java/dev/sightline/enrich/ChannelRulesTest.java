package dev.sightline.enrich;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The channel rule table, one row per rule and then the ways its lookups are reached. */
class ChannelRulesTest {

    @ParameterizedTest(name = "{0}/{1}/{2} from {3} gclid={4} fbclid={5} gad_source={6} -> {7}")
    @CsvSource(nullValues = "-", delimiter = '|', textBlock = """
            # source      | medium       | campaign             | referring domain       | gclid | fbclid | gad  | channel
            # 1. cross-network campaigns, paid or not
            google        | cpc          | summer-cross-network | $direct                | false | false  | -    | Cross Network
            # 2. paid: by source, shopping campaign, medium, referrer, gad_source, video campaign, fbclid, else
            google        | cpc          | -                    | $direct                | false | false  | -    | Paid Search
            -             | -            | -                    | www.google.com         | true  | false  | -    | Paid Search
            facebook      | paid_social  | -                    | $direct                | false | false  | -    | Paid Social
            youtube       | cpv          | -                    | $direct                | false | false  | -    | Paid Video
            amazon        | ppc          | -                    | $direct                | false | false  | -    | Paid Shopping
            newsletter    | cpc          | eshop-week           | $direct                | false | false  | -    | Paid Shopping
            partner       | cpm          | -                    | $direct                | false | false  | -    | Display
            -             | paid         | -                    | l.instagram.com        | false | false  | -    | Paid Social
            -             | -            | -                    | $direct                | false | false  | 1    | Paid Search
            acme          | paid         | product-video        | $direct                | false | false  | -    | Paid Video
            acme          | retargeting  | -                    | $direct                | false | true   | -    | Paid Social
            acme          | cpa          | -                    | $direct                | false | false  | -    | Paid Unknown
            # 3. direct: no referrer, no medium, no (or a direct) source, no fbclid
            -             | -            | -                    | $direct                | false | false  | -    | Direct
            (direct)      | -            | -                    | $direct                | false | false  | -    | Direct
            # 4. organic: by source, shopping campaign, medium, referrer, video campaign, push, fbclid, direct, referral
            google        | -            | -                    | $direct                | false | false  | -    | Organic Search
            -             | -            | -                    | www.bing.com           | false | false  | -    | Organic Search
            -             | -            | -                    | duckduckgo.com         | false | false  | -    | Organic Search
            -             | -            | -                    | www.google.co.uk       | false | false  | -    | Organic Search
            twitter       | -            | -                    | $direct                | false | false  | -    | Organic Social
            -             | -            | -                    | t.co                   | false | false  | -    | Organic Social
            -             | -            | -                    | news.ycombinator.com   | false | false  | -    | Organic Social
            -             | -            | -                    | lm.facebook.com        | false | false  | -    | Organic Social
            -             | -            | -                    | www.youtube.com        | false | false  | -    | Organic Video
            -             | -            | -                    | www.etsy.com           | false | false  | -    | Organic Shopping
            gmail         | -            | -                    | $direct                | false | false  | -    | Email
            -             | -            | -                    | mail.google.com        | false | false  | -    | Email
            acme          | -            | black-friday-shop    | $direct                | false | false  | -    | Organic Shopping
            acme          | email        | -                    | $direct                | false | false  | -    | Email
            Acme          | Newsletter   | -                    | $direct                | false | false  | -    | Email
            acme          | affiliate    | -                    | $direct                | false | false  | -    | Affiliate
            acme          | referral     | -                    | $direct                | false | false  | -    | Referral
            acme          | sms          | -                    | $direct                | false | false  | -    | SMS
            acme          | push         | -                    | $direct                | false | false  | -    | Push
            acme          | web-push     | -                    | $direct                | false | false  | -    | Push
            acme          | podcast      | -                    | $direct                | false | false  | -    | Audio
            acme          | social       | -                    | $direct                | false | false  | -    | Organic Social
            acme          | display      | -                    | $direct                | false | false  | -    | Display
            acme          | -            | how-to-video         | $direct                | false | false  | -    | Organic Video
            -             | -            | -                    | $direct                | false | true   | -    | Organic Social
            acme          | -            | -                    | $direct                | false | false  | -    | Direct
            -             | -            | -                    | blog.example.org       | false | false  | -    | Referral
            -             | -            | -                    | -                      | false | false  | -    | Unknown
            # blanks and the text "null" are absent; case does not matter
            null          | NULL         |                      | $direct                | false | false  |      | Direct
            GOOGLE        | CPC          | -                    | $direct                | false | false  | -    | Paid Search
            """)
    void classifies(String source, String medium, String campaign, String referringDomain,
                    boolean gclid, boolean fbclid, String gadSource, String channel) {
        assertThat(ChannelRules.channel(new ChannelRules.Inputs(
                source, medium, campaign, referringDomain, gclid, fbclid, gadSource))).isEqualTo(channel);
    }
}
