/** Generated from openapi/fingerbank.json by `npm run openapi` (openapi-typescript): do not edit. */

export interface paths {
    "/api/v2/users/account_info/{account_key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the account information associated to an API key
         * @description This method allows to get the account information associated to an API key. The key may be sent as `?key=`, as `Authorization: Bearer`, or, with neither, as the account_key in the path (as the documented curl does).
         */
        get: operations["getApiV2UsersAccountInfoByAccountKey"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/account_info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the account information associated to an API key
         * @description This method allows to get the account information associated to an API key. The key may be sent as `?key=`, as `Authorization: Bearer`, or, with neither, as the account_key in the path (as the documented curl does).
         */
        get: operations["getApiV2UsersAccountInfo"];
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
    getApiV2UsersAccountInfoByAccountKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The API key of the account to read (the page calls it “the device ID”). With no other credential, it is also the caller's key, as in the documented curl. */
                account_key: string;
            };
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
                        /** @description The numeric user ID */
                        id: number;
                        /** @description The unique username */
                        name: string;
                        /** @description The name shown for the user */
                        display_name: string;
                        /** @description The level of the user. (0:community, 5:api_submitter, 7:monthly_limited, 9:unlimited, 10:admin) */
                        level: number;
                        /**
                         * Format: date-time
                         * @description The date the user was created
                         */
                        created_at: string;
                        /**
                         * Format: date-time
                         * @description The date the user was last updated
                         */
                        updated_at: string;
                        /** @description The API key of the user */
                        key: string;
                        /** @description The email address of the user */
                        email: string;
                        /** @description Value will be true when the user is blocked from using the API */
                        blocked: boolean;
                        /** @description The amount of searches the user did in the admin console */
                        search_count: number;
                        /** @description The amount of searches the user did in the admin console today */
                        timeframed_search_count: number;
                        /** @description The maxiumum amount of requests per month the user can do (soft limit) */
                        monthly_limit: number;
                        /** @description The authentication mechanism used to register */
                        auth_type: string;
                        /** @description Comma delimited list of the roles the user has */
                        roles: string;
                        /** @description The date on which the access of the user expires (only applies to monthly_limited users). null means that the access never expires */
                        expiration: string | (never | null);
                        /** @description The amount of requests the user has performed during the current hour */
                        timeframed_requests: number;
                        /** @description The amount of requests the user has performed during the current month */
                        monthly_requests: number;
                        /** @description The amount of total requests the user had performed */
                        requests: number;
                    };
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong */
                        message: string;
                    };
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong */
                        message: string;
                    };
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong */
                        message: string;
                    };
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong */
                        message: string;
                    };
                };
            };
            /** @description Bad Gateway */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong */
                        message: string;
                    };
                };
            };
        };
    };
    getApiV2UsersAccountInfo: {
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
                        /** @description The numeric user ID */
                        id: number;
                        /** @description The unique username */
                        name: string;
                        /** @description The name shown for the user */
                        display_name: string;
                        /** @description The level of the user. (0:community, 5:api_submitter, 7:monthly_limited, 9:unlimited, 10:admin) */
                        level: number;
                        /**
                         * Format: date-time
                         * @description The date the user was created
                         */
                        created_at: string;
                        /**
                         * Format: date-time
                         * @description The date the user was last updated
                         */
                        updated_at: string;
                        /** @description The API key of the user */
                        key: string;
                        /** @description The email address of the user */
                        email: string;
                        /** @description Value will be true when the user is blocked from using the API */
                        blocked: boolean;
                        /** @description The amount of searches the user did in the admin console */
                        search_count: number;
                        /** @description The amount of searches the user did in the admin console today */
                        timeframed_search_count: number;
                        /** @description The maxiumum amount of requests per month the user can do (soft limit) */
                        monthly_limit: number;
                        /** @description The authentication mechanism used to register */
                        auth_type: string;
                        /** @description Comma delimited list of the roles the user has */
                        roles: string;
                        /** @description The date on which the access of the user expires (only applies to monthly_limited users). null means that the access never expires */
                        expiration: string | (never | null);
                        /** @description The amount of requests the user has performed during the current hour */
                        timeframed_requests: number;
                        /** @description The amount of requests the user has performed during the current month */
                        monthly_requests: number;
                        /** @description The amount of total requests the user had performed */
                        requests: number;
                    };
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong */
                        message: string;
                    };
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong */
                        message: string;
                    };
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong */
                        message: string;
                    };
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong */
                        message: string;
                    };
                };
            };
            /** @description Bad Gateway */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What went wrong */
                        message: string;
                    };
                };
            };
        };
    };
}
