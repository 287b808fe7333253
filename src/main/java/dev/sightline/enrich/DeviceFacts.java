package dev.sightline.enrich;

import java.util.Optional;

/**
 * What a user-agent string says, already in the names posthog-js uses ("Chrome iOS",
 * "Mac OS X", "Mobile"), so server-parsed and browser-reported events group together.
 */
record DeviceFacts(
        Optional<String> browser,
        Optional<Double> browserVersion,
        Optional<String> os,
        Optional<String> osVersion,
        Optional<String> deviceType,
        boolean bot) {
}
