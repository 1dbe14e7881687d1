//! The real-inbox reader against an independent SQS (moto's): messages shaped as SES
//! stores them — SNS envelopes around SES's "Received" notification, raw MIME with SES's
//! `Return-Path`, `Received` and `X-SES-*` headers, several recipients — interleaved with
//! mail for other scenarios and for another run.
//!
//! Needs `COGNITO_E2E_MOTO_ENDPOINT` (`.ci/run` starts `moto_server` and sets it, with
//! `COGNITO_E2E_REQUIRE_MOTO=1`). Without it, this test says so and passes.

use std::time::Duration;

use cognito_e2e::mail::extract_code;
use cognito_e2e::mailbox::sqs::SqsMailbox;
use cognito_e2e::mailbox::{wait_for_mail, Mailbox};
use cognito_e2e::sdk_config::emulator_sdk_config;
use serde_json::json;

fn ses_mail(to: &[&str], subject: &str, code: &str) -> String {
    let to_header = to.join(", ");
    format!(
        "Return-Path: <0100018f-bounces@amazonses.com>\r\n\
Received: from a8-31.smtp-out.amazonses.com (a8-31.smtp-out.amazonses.com [54.240.8.31])\r\n by inbound-smtp.us-east-1.amazonaws.com with SMTP id 4l2k3j4h5g6f7d8s\r\n for {to_header};\r\n Thu, 26 Nov 2026 06:00:00 +0000 (UTC)\r\n\
X-SES-Spam-Verdict: PASS\r\n\
X-SES-Virus-Verdict: PASS\r\n\
Received-SPF: pass (spfCheck: domain of amazonses.com designates 54.240.8.31 as permitted sender)\r\n\
X-SES-RECEIPT: AEFBQUFBQUFBQUFFOXhOeGRk\r\n\
X-SES-DKIM-SIGNATURE: a=rsa-sha256; q=dns/txt; b=abc; c=relaxed/simple; s=224i4yxa5dv7c2xz3womw6peuasteono; d=amazonses.com; t=1795500000; v=1; bh=xyz; h=From:To:Subject;\r\n\
From: no-reply@verificationemail.com\r\n\
To: {to_header}\r\n\
Subject: {subject}\r\n\
Date: Thu, 26 Nov 2026 06:00:00 +0000\r\n\
Message-ID: <0100018f-{code}@email.amazonses.com>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: text/plain; charset=UTF-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Your verification code is {code}. =\r\n\
\r\n\
--b1\r\n\
Content-Type: text/html; charset=UTF-8\r\n\
Content-Transfer-Encoding: 7bit\r\n\
\r\n\
<p>Your verification code is {code}. </p>\r\n\
--b1--\r\n"
    )
}

fn notification(id: &str, recipients: &[&str], raw: &str) -> String {
    let ses = json!({
        "notificationType": "Received",
        "mail": {"messageId": id, "source": "no-reply@verificationemail.com", "destination": recipients},
        "receipt": {"recipients": recipients, "action": {"type": "SNS", "topicArn": "arn:aws:sns:us-east-1:123456789012:inbox", "encoding": "UTF8"}},
        "content": raw,
    });
    json!({"Type": "Notification", "MessageId": id, "TopicArn": "arn:aws:sns:us-east-1:123456789012:inbox", "Message": ses.to_string()}).to_string()
}

fn main() {
    let Ok(endpoint) = std::env::var("COGNITO_E2E_MOTO_ENDPOINT") else {
        if std::env::var("COGNITO_E2E_REQUIRE_MOTO").is_ok_and(|v| v == "1") {
            eprintln!("sqs_inbox: COGNITO_E2E_MOTO_ENDPOINT is not set");
            std::process::exit(1);
        }
        println!("sqs_inbox: skipped, set COGNITO_E2E_MOTO_ENDPOINT to a moto server");
        return;
    };
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    runtime.block_on(async {
        let config = emulator_sdk_config(&endpoint, "us-east-1").await;
        let sqs = aws_sdk_sqs::Client::new(&config);
        let queue = sqs
            .create_queue()
            .queue_name(format!("inbox-{}", std::process::id()))
            .send()
            .await
            .expect("a queue")
            .queue_url
            .expect("its URL");
        let erin = "erin-run7a001@e2e.example.com";
        let frank = "frank-run7a002@e2e.example.com";
        let other_run = "bob-zz9000@e2e.example.com";
        let bodies = [
            notification(
                "m1",
                &[other_run],
                &ses_mail(&[other_run], "Your verification code", "111111"),
            ),
            notification(
                "m2",
                &[erin, "someone@e2e.example.com"],
                &ses_mail(
                    &[erin, "someone@e2e.example.com"],
                    "Your verification code",
                    "222222",
                ),
            ),
            r#"{"Type":"SubscriptionConfirmation","Message":"confirm"}"#.to_owned(),
            notification(
                "m3",
                &[frank],
                &ses_mail(&[frank], "Your verification code", "333333"),
            ),
        ];
        for body in bodies {
            sqs.send_message()
                .queue_url(&queue)
                .message_body(body)
                .send()
                .await
                .expect("send");
        }

        let mailbox = SqsMailbox::new(sqs.clone(), &queue, "run7a");
        let mail = wait_for_mail(&mailbox, erin, 0, Duration::from_secs(5))
            .await
            .expect("erin's mail");
        assert_eq!(mail.id, "m2");
        assert!(
            mail.to.iter().any(|t| t == "someone@e2e.example.com"),
            "all recipients kept"
        );
        let code = extract_code(&mail.raw, "Your verification code is {####}. ").expect("the code");
        assert_eq!(code, "222222");
        let franks = mailbox.messages_to(frank).await.expect("frank's mail");
        assert_eq!(franks.len(), 1);
        assert_eq!(
            extract_code(&franks[0].raw, "Your verification code is {####}. ").unwrap(),
            "333333"
        );
        assert!(
            mailbox.messages_to(other_run).await.unwrap().is_empty(),
            "another run's mail is not ours"
        );

        // Ours were taken off the queue; the other run's mail and the non-mail are still there.
        let mut left = Vec::new();
        for _ in 0..5 {
            let out = sqs
                .receive_message()
                .queue_url(&queue)
                .max_number_of_messages(10)
                .send()
                .await
                .unwrap();
            for m in out.messages() {
                left.push(m.body().unwrap_or_default().to_owned());
                sqs.delete_message()
                    .queue_url(&queue)
                    .receipt_handle(m.receipt_handle().unwrap())
                    .send()
                    .await
                    .unwrap();
            }
        }
        assert_eq!(left.len(), 2, "left: {left:?}");
        assert!(left.iter().any(|b| b.contains("\"m1\"")));
        assert!(left.iter().any(|b| b.contains("SubscriptionConfirmation")));
        sqs.delete_queue().queue_url(&queue).send().await.unwrap();
        println!("sqs_inbox: 1 passed, 0 failed");
    });
}
