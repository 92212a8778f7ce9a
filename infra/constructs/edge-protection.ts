/**
 * The optional edge (context `waf=true`): CloudFront in front of the HTTP API with a WAF web ACL that limits
 * requests per client IP, overall and on the vendor portal. CloudFront web ACLs live in us-east-1, so the ACL is its
 * own small stack there; the distribution in the main stack refers to it across regions.
 */
import { Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { AllowedMethods, CachePolicy, Distribution, OriginProtocolPolicy, OriginRequestPolicy, PriceClass, SecurityPolicyProtocol, ViewerProtocolPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Requests per client IP in any 5 minutes (WAF's window): everything, and the unauthenticated vendor portal. */
export const WAF_RATE_LIMITS = { perIpPer5Minutes: 3000, portalPerIpPer5Minutes: 1200 } as const;

/** The web ACL, in us-east-1 (where CloudFront reads web ACLs from). */
export class EdgeAclStack extends Stack {
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: StackProps & { stage: string }) {
    super(scope, id, { description: `trustgate (${props.stage}): WAF web ACL for CloudFront`, ...props });
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    const acl = new CfnWebACL(this, 'WebAcl', {
      name: `trustgate-${props.stage}`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`trustgate-${props.stage}`),
      rules: [
        {
          name: 'portal-per-ip',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: WAF_RATE_LIMITS.portalPerIpPer5Minutes,
              aggregateKeyType: 'IP',
              scopeDownStatement: { byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'STARTS_WITH', searchString: '/api/portal/', textTransformations: [{ priority: 0, type: 'NONE' }] } },
            },
          },
          visibilityConfig: visibility('portal-per-ip'),
        },
        { name: 'all-per-ip', priority: 1, action: { block: {} }, statement: { rateBasedStatement: { limit: WAF_RATE_LIMITS.perIpPer5Minutes, aggregateKeyType: 'IP' } }, visibilityConfig: visibility('all-per-ip') },
      ],
    });
    Validations.of(acl).acknowledge({
      id: 'NIST.800.53.R5-WAFv2LoggingEnabled',
      reason: 'The rules publish CloudWatch metrics and sampled requests (blocked IPs are visible there); full WAF logs need a Firehose or aws-waf-logs-* destination, left to the owner.',
    });
    this.webAclArn = acl.attrArn;
  }
}

/** CloudFront in front of the HTTP API, nothing cached (every answer is per user), the web ACL attached. */
export class EdgeDistribution extends Construct {
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: { httpApi: IHttpApi; webAclArn: string }) {
    super(scope, id);
    const stack = Stack.of(this);
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'trustgate: CloudFront and WAF in front of the HTTP API',
      defaultBehavior: {
        origin: new HttpOrigin(`${props.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY, readTimeout: Duration.seconds(30) }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        // The API authorizes on the Authorization header; the Host header must stay the API's own.
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      webAclId: props.webAclArn,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      priceClass: PriceClass.PRICE_CLASS_100,
    });
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'Vendors are invited from anywhere; restricting countries is the owner\'s policy choice, not a default.' },
      { id: 'AwsSolutions-CFR3', reason: 'Requests are logged by the API stage access log (every request reaches it); CloudFront standard logs would duplicate them into another bucket.' },
      { id: 'AwsSolutions-CFR4', reason: 'The default CloudFront certificate (*.cloudfront.net) allows only the TLS versions CloudFront chooses; a custom domain with its own certificate sets TLSv1.2_2021.' },
      { id: 'NIST.800.53.R5-CloudFrontDistributionLogging', reason: 'Requests are logged by the API stage access log (every request reaches it); CloudFront standard logs would duplicate them into another bucket.' },
    );
  }
}
