//! STR209 sync-side-effect.

use super::super::{Area, Context, Finding, Rule};
use super::is_workload;
use crate::diagnostics::Severity;
use crate::model::{Component, Kind};
use crate::syntax::ast::FlowMode;

pub const RULE: Rule = Rule {
    code: "STR209",
    name: "sync-side-effect",
    area: Area::Structure,
    severity: Severity::Warning,
    summary: "A service on a request path sends an email, SMS, push or other notification synchronously, while the request waits.",
    why: "The guide's e-commerce template decouples notification from checkout through Kafka (§6.1: \"Event-driven (Kafka) | Decouple payment, inventory, notification\"), and its money-transfer pattern triggers notifications only after the commit (§6.3). A notification the request waits on adds the provider's latency to every response and fails the user's request when the provider is down, though nothing the user asked for depends on it. (Payments are not side effects: an authorization needs its answer.)",
    example: "web: client\napi: service { replicas 2 }\nmail: external \"SendGrid\"\nweb -> api -> mail\n",
    fix: "Publish the notification and send it from a worker (`api ~> notifications ~> sender -> mail`), so a slow or failing provider delays the message, not the response.",
    check,
};

/// Word beginnings that name a notification or its provider (`notif` in `notifier`,
/// `mail` in `mailer`).
const STEMS: [&str; 7] = [
    "email", "mail", "notif", "sendgrid", "twilio", "mailgun", "postmark",
];

/// Short names that are a word of their own (`ses`, not the start of `sessions`).
const NAMES: [&str; 6] = ["sms", "push", "ses", "sns", "fcm", "apns"];

/// An external system or a service whose id, label or technology names a notification.
fn sends_notifications(component: &Component) -> bool {
    if !matches!(component.kind, Kind::External | Kind::Service) {
        return false;
    }
    let names = [
        component.id.as_str(),
        component.label.as_str(),
        component.tech.as_deref().unwrap_or(""),
    ];
    names
        .into_iter()
        .flat_map(|name| name.split(|c: char| !c.is_alphanumeric()))
        .map(str::to_lowercase)
        .any(|word| {
            STEMS.iter().any(|stem| word.starts_with(stem)) || NAMES.contains(&word.as_str())
        })
}

fn check(cx: &Context) -> Vec<Finding> {
    let components = &cx.design.components;
    cx.design
        .flows
        .iter()
        .filter(|flow| {
            let caller = &components[flow.from];
            flow.mode == FlowMode::Sync
                && cx.on_request_path[flow.from]
                && is_workload(caller.kind)
                && !caller.is_router()
                && sends_notifications(&components[flow.to])
        })
        .map(|flow| {
            Finding::new(
                &RULE,
                &cx.flow_subject(flow),
                format!(
                    "{} sends a notification while the request waits",
                    cx.flow_name(flow)
                ),
                flow.span.clone(),
            )
            .with_label(format!(
                "every response waits on `{}`, and fails when it does",
                cx.id(flow.to)
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::lint::testing::ids;

    #[test]
    fn fires_on_notifications_named_by_id_label_or_tech() {
        assert_eq!(ids(&RULE, RULE.example), ["STR209@api->mail"]);
        for target in [
            "sender: service \"Notification Service\" { replicas 2 }",
            "sender: external \"Messaging\" { tech \"AWS SES\" }",
            "sender: external \"SMS / Push Provider\"",
        ] {
            let text = format!(
                "web: client\napi: service {{ replicas 2 }}\n{target}\nweb -> api -> sender\n"
            );
            assert_eq!(ids(&RULE, &text), ["STR209@api->sender"], "{target}");
        }
    }

    #[test]
    fn quiet_for_payments_sessions_and_notifications_sent_later() {
        for target in [
            "psp: external \"Payment Provider\" { tech \"Stripe\" }",
            "sessions: service \"Sessions\" { replicas 2; tech \"pushdown automaton\" }",
        ] {
            let text = format!(
                "web: client\napi: service {{ replicas 2 }}\n{target}\nweb -> api -> {}\n",
                &target[..target.find(':').unwrap()]
            );
            assert!(ids(&RULE, &text).is_empty(), "{target}");
        }
        let queued = "web: client\napi: service { replicas 2 }\nq: queue { managed true }\n\
            sender: worker { replicas 2 }\nmail: external \"SendGrid\"\n\
            web -> api ~> q ~> sender -> mail\n";
        assert!(ids(&RULE, queued).is_empty());
    }

    #[test]
    fn a_gateway_passing_a_request_to_the_notification_service_is_no_side_effect() {
        let routed = "web: client\ngw: gateway { replicas 2 }\n\
            inbox: service \"Notification Service\" { replicas 2 }\nweb -> gw -> inbox\n";
        assert!(ids(&RULE, routed).is_empty());
    }
}
