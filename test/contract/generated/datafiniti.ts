/** Generated from openapi/datafiniti.json by `npm run openapi` (openapi-typescript): do not edit. */

export interface paths {
    "/v3/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * View your Datafiniti account information and status
         * @description The users endpoint lets you view the status of your Datafiniti account, including your plan information, credit usage, and account details.
         */
        get: operations["getV3Users"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getV3Users: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Your API token */
                        token: string;
                        /** @description Your organization or company name */
                        organization: string;
                        /** @description Your email address */
                        email: string;
                        /** @description Your first name */
                        first_name: string;
                        /** @description Your last name */
                        last_name: string;
                        /** @description Your phone number */
                        phone_number: string;
                        /** @description The Datafiniti plan to which you're subscribed */
                        plan_id: string;
                        /** @description Your account type. Should be set to 'user'. */
                        type: string;
                        /** @description Whether or not your account is active */
                        active: number;
                        /** @description The number of records you can download at this time */
                        available_downloads: number;
                        /** @description The date your account was created */
                        date_registered: string;
                    }[];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: string;
                        /** @description Error message describing what went wrong */
                        message: string;
                        code: number;
                    };
                };
            };
        };
    };
}
